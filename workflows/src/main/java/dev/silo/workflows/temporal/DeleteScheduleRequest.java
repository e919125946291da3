package dev.silo.workflows.temporal;

/** @param scheduleId the schedule to delete, such as {@code silo-check-{client}-{app}} */
public record DeleteScheduleRequest(String scheduleId) {}
