package io.goatflow.web.internal;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.Filter;
import io.pebbletemplates.pebble.extension.Function;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Pebble with HTML autoescaping on (a template must say {@code |raw} to print markup, and only the API's sanitised
 * article HTML is printed that way), plus the console's functions: {@code t(key, args...)} for texts in the page's
 * language, and the filters {@code datetime}, {@code date} and {@code number} that format per locale.
 */
final class Templates {
    private final PebbleEngine engine;

    Templates(ClassLoader loader, Messages messages, boolean cache) {
        ClasspathLoader templates = new ClasspathLoader(loader);
        templates.setPrefix("templates");
        templates.setSuffix(".peb");
        this.engine = new PebbleEngine.Builder()
                .loader(templates)
                .autoEscaping(true)
                .defaultEscapingStrategy("html")
                .strictVariables(false)
                .cacheActive(cache)
                .extension(new ConsoleExtension(messages))
                .build();
    }

    /** Parses a template (and what it extends or imports) without rendering it. */
    void compile(String name) {
        engine.getTemplate(name);
    }

    String render(String name, Map<String, Object> model, Language language) {
        StringWriter out = new StringWriter(8192);
        render(name, model, language, out);
        return out.toString();
    }

    void render(String name, Map<String, Object> model, Language language, Writer out) {
        PebbleTemplate template = engine.getTemplate(name);
        try {
            template.evaluate(out, model, language.locale());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Language language(EvaluationContext context) {
        // The locale, not a variable: macros (the components) do not see the caller's variables.
        return Language.of(context.getLocale().getLanguage()).orElse(Language.DEFAULT);
    }

    private static final class ConsoleExtension extends AbstractExtension {
        private final Messages messages;

        ConsoleExtension(Messages messages) {
            this.messages = messages;
        }

        @Override
        public Map<String, Function> getFunctions() {
            return Map.of("startsWith", new Function() {
                @Override
                public List<String> getArgumentNames() {
                    return List.of("text", "prefix");
                }

                @Override
                public Object execute(Map<String, Object> args, PebbleTemplate self, EvaluationContext context,
                        int lineNumber) {
                    Object text = args.get("text");
                    Object prefix = args.get("prefix");
                    return text != null && prefix != null && text.toString().startsWith(prefix.toString());
                }
            }, "t", new Function() {
                @Override
                public List<String> getArgumentNames() {
                    return null;
                }

                @Override
                public Object execute(Map<String, Object> args, PebbleTemplate self, EvaluationContext context,
                        int lineNumber) {
                    Object key = args.get("0");
                    List<Object> rest = new ArrayList<>();
                    for (int i = 1; args.containsKey(String.valueOf(i)); i++) {
                        rest.add(args.get(String.valueOf(i)));
                    }
                    return messages.text(language(context), String.valueOf(key), rest.toArray());
                }
            });
        }

        @Override
        public Map<String, Filter> getFilters() {
            return Map.of(
                    "datetime", new TimeFilter(DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT)),
                    "date", new TimeFilter(DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM)),
                    "number", new Filter() {
                        @Override
                        public List<String> getArgumentNames() {
                            return null;
                        }

                        @Override
                        public Object apply(Object input, Map<String, Object> args, PebbleTemplate self,
                                EvaluationContext context, int lineNumber) {
                            if (!(input instanceof Number number)) {
                                return input;
                            }
                            return NumberFormat.getInstance(context.getLocale()).format(number);
                        }
                    });
        }
    }

    private static final class TimeFilter implements Filter {
        private final DateTimeFormatter format;

        TimeFilter(DateTimeFormatter format) {
            this.format = format;
        }

        @Override
        public List<String> getArgumentNames() {
            return null;
        }

        @Override
        public Object apply(Object input, Map<String, Object> args, PebbleTemplate self, EvaluationContext context,
                int lineNumber) {
            if (input == null) {
                return "";
            }
            try {
                Instant instant = input instanceof Instant i ? i : Instant.parse(input.toString());
                return format.withLocale(context.getLocale()).withZone(ZoneId.systemDefault()).format(instant);
            } catch (DateTimeParseException e) {
                return input.toString();
            }
        }
    }
}
