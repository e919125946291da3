package dev.silo.workflows.temporal;

/**
 * @param scheduleId the schedule
 * @param existed whether this call deleted it; false when it was already absent
 */
public record ScheduleDeleted(String scheduleId, boolean existed) {}
