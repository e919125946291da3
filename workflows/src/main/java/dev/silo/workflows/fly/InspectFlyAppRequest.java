package dev.silo.workflows.fly;

/** @param appName the Fly app to read */
public record InspectFlyAppRequest(String appName) {}
