package org.hybridrerank.solr.tools;

import java.util.Arrays;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Which part of a TREC topic is the query text ({@code --topic-field}); BEIR queries have one text only. */
public enum TopicField {
    TITLE("title"),
    DESC("desc"),
    TITLE_DESC("title+desc");

    private final String label;

    TopicField(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The query text of a topic, or "" when the topic lacks the chosen part. */
    String text(String title, String desc) {
        return switch (this) {
            case TITLE -> title;
            case DESC -> desc;
            case TITLE_DESC -> (title + " " + desc).trim();
        };
    }

    static String allowed() {
        return Arrays.stream(values()).map(TopicField::label).collect(Collectors.joining(", "));
    }

    public static TopicField parse(String value) {
        for (TopicField f : values()) if (f.label.equals(value)) return f;
        throw new IllegalArgumentException("--topic-field must be one of " + allowed() + "; got '" + value + "'");
    }

    /** picocli prefixes this message with the option's name: "Invalid value for option '--topic-field': …". */
    static final class Converter implements ITypeConverter<TopicField> {
        @Override
        public TopicField convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expected one of " + allowed() + " but was '" + value + "'");
            }
        }
    }
}
