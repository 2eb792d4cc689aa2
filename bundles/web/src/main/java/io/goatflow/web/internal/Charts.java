package io.goatflow.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Turns a widget's JSON into bars for the server-rendered SVG chart: the numbers at the top level
 * ({@code {"open":3,"closed":5}}), or one bar per item of {@code items} (its first text is the label, its first
 * number the value). Plugins send data, never markup, so nothing of theirs reaches the page unescaped.
 */
final class Charts {
    private Charts() {
    }

    public record Bar(String label, double value, int percent) {
    }

    static List<Bar> bars(JsonNode data) {
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        JsonNode items = data.path("items");
        if (items.isArray()) {
            for (JsonNode item : items) {
                String label = null;
                Double value = null;
                for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> field = it.next();
                    if (label == null && field.getValue().isTextual()) {
                        label = field.getValue().asText();
                    } else if (value == null && field.getValue().isNumber() && !field.getKey().endsWith("_id")) {
                        value = field.getValue().asDouble();
                    }
                }
                if (label != null && value != null) {
                    labels.add(label);
                    values.add(value);
                }
            }
        } else if (data.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getValue().isNumber()) {
                    labels.add(field.getKey());
                    values.add(field.getValue().asDouble());
                }
            }
        }
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < labels.size() && i < 20; i++) {
            int percent = max <= 0 ? 0 : (int) Math.round(values.get(i) * 100 / max);
            bars.add(new Bar(labels.get(i), values.get(i), percent));
        }
        return bars;
    }
}
