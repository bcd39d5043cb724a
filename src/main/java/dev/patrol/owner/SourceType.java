package dev.patrol.owner;

/** What a membership is of. */
public enum SourceType {
    PROJECT, GROUP
}
