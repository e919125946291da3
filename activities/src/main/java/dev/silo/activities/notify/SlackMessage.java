package dev.silo.activities.notify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The payload of a Slack incoming webhook: {@code text} (the notification's fallback) plus {@code
 * blocks}, a section with the text and sections of labelled fields. Slack's limits are kept: 3000
 * characters per section text, 2000 per field, 10 fields per section. Text is escaped as Slack
 * asks ({@code &}, {@code <}, {@code >}), so a value can never form a link or a mention.
 */
final class SlackMessage {

  private static final int TEXT_LIMIT = 3000;
  private static final int FIELD_LIMIT = 2000;
  private static final int FIELDS_PER_SECTION = 10;

  private SlackMessage() {}

  static Map<String, Object> payload(String text, Map<String, Object> fields) {
    String escaped = escape(text);
    List<Object> blocks = new ArrayList<>();
    blocks.add(section("text", mrkdwn(limit(escaped, TEXT_LIMIT))));
    List<Object> pending = new ArrayList<>();
    if (fields != null) {
      for (Map.Entry<String, Object> field : fields.entrySet()) {
        pending.add(mrkdwn(limit("*" + escape(field.getKey()) + "*\n" + escape(String.valueOf(field.getValue())),
            FIELD_LIMIT)));
        if (pending.size() == FIELDS_PER_SECTION) {
          blocks.add(section("fields", pending));
          pending = new ArrayList<>();
        }
      }
    }
    if (!pending.isEmpty()) {
      blocks.add(section("fields", pending));
    }
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("text", escaped);
    payload.put("blocks", blocks);
    return payload;
  }

  /** Keys in Slack's documented order, so the payload reads the same every time. */
  private static Map<String, Object> section(String key, Object value) {
    Map<String, Object> section = new LinkedHashMap<>();
    section.put("type", "section");
    section.put(key, value);
    return section;
  }

  private static Map<String, Object> mrkdwn(String text) {
    Map<String, Object> element = new LinkedHashMap<>();
    element.put("type", "mrkdwn");
    element.put("text", text);
    return element;
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String limit(String text, int limit) {
    return text.length() <= limit ? text : text.substring(0, limit - 1) + "…";
  }
}
