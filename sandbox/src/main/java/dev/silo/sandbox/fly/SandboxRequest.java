package dev.silo.sandbox.fly;

import java.util.List;
import java.util.Map;

/**
 * One request as the sandbox received it.
 *
 * @param method the HTTP method, upper case
 * @param path the decoded path
 * @param query the decoded query parameters
 * @param headers the first value of each header, by lower-case name
 * @param body the body as text, empty when there is none
 */
record SandboxRequest(
    String method, String path, Map<String, List<String>> query, Map<String, String> headers, String body) {

  String header(String name) {
    return headers.get(name.toLowerCase());
  }

  String queryParameter(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
