package dev.silo.workflows.desk;

public record GetApplicationRequest(String client, String app) {}
