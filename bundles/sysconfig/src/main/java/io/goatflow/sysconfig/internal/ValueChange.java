package io.goatflow.sysconfig.internal;

/** Body of every PUT of a setting: {@code {"value": <JSON value of the setting's type>}}. */
public record ValueChange(Object value) {
}
