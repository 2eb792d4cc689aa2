package io.goatflow.customfields;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One condition of a query: {@code op} is eq, neq, gt, lt, gte, lte, like, in, between or near. {@code value2} is
 * the upper bound of {@code between} and the radius in kilometres of {@code near} (whose value is
 * {@code {"lat":…,"lng":…}}). Only objects that have a value for the field match.
 */
public record FieldFilter(String field, String op, JsonNode value, JsonNode value2) {
}
