package org.rheumalens.server.store;

/** A person who uses the app; the password hash never leaves the store. */
public record User(long id, String username, String displayName, Role role, boolean active) {}
