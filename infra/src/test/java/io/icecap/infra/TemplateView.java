package io.icecap.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A CloudFormation or SAM template as a map, with intrinsic functions rendered to comparable
 * strings: a reference names the referenced resource's type rather than its logical id (CDK's ids
 * carry hashes), so {@code {"Fn::Join": ["", ["s3://", {"Ref": "Warehouse50B5FE91"}]]}} and {@code
 * {"Fn::Sub": "s3://${Warehouse}"}} both render as {@code s3://${AWS::S3::Bucket}}. A parameter
 * renders as its value, by default its default; conditions are evaluated.
 */
final class TemplateView {

  private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");
  private static final Set<String> UNCOMPARED_PROPERTIES =
      Set.of("Tags", "Description", "GroupDescription");

  private static final Object NO_VALUE = new Object();

  private final Map<String, Object> parameters;
  private final Map<String, String> parameterValues;
  private final Map<String, Object> conditions;
  private final Map<String, Object> resources;
  private final Map<String, Object> outputs;

  /**
   * The template as CloudFormation would deploy it with these parameter values (defaults for the
   * others): {@code Fn::If} takes its branch, {@code AWS::NoValue} and resources or outputs whose
   * condition is false are gone.
   */
  TemplateView(Map<String, Object> template, Map<String, String> parameterValues) {
    this.parameters = map(template.get("Parameters"));
    this.parameterValues = Map.copyOf(parameterValues);
    this.conditions = map(template.get("Conditions"));
    // conditions name parameters only, so resources can be resolved before they are known
    this.resources = deployed(map(template.get("Resources")));
    this.outputs = deployed(map(template.get("Outputs")));
  }

  Map<String, Object> resources() {
    return resources;
  }

  Map<String, Object> outputs() {
    return outputs;
  }

  private Map<String, Object> deployed(Map<String, Object> entries) {
    Map<String, Object> deployed = new LinkedHashMap<>();
    entries.forEach(
        (id, entry) -> {
          Object condition = map(entry).get("Condition");
          if (condition == null || condition(String.valueOf(condition))) {
            deployed.put(id, resolve(entry));
          }
        });
    return deployed;
  }

  private Object resolve(Object value) {
    if (value instanceof List<?> list) {
      return list.stream().map(this::resolve).filter(v -> v != NO_VALUE).toList();
    }
    if (value instanceof Map<?, ?>) {
      Map<String, Object> map = map(value);
      if (map.size() == 1 && map.get("Fn::If") instanceof List<?> branches) {
        return resolve(
            condition(String.valueOf(branches.get(0))) ? branches.get(1) : branches.get(2));
      }
      if (map.size() == 1 && "AWS::NoValue".equals(map.get("Ref"))) {
        return NO_VALUE;
      }
      Map<String, Object> resolved = new LinkedHashMap<>();
      map.forEach(
          (key, entry) -> {
            Object r = resolve(entry);
            if (r != NO_VALUE) {
              resolved.put(key, r);
            }
          });
      return resolved;
    }
    return value;
  }

  private boolean condition(String name) {
    if (!conditions.containsKey(name)) {
      throw new IllegalArgumentException("Unknown condition " + name);
    }
    return evaluate(conditions.get(name));
  }

  private boolean evaluate(Object condition) {
    Map<String, Object> map = map(condition);
    List<Object> arguments = list(map.values().stream().findFirst().orElse(null));
    switch (map.size() == 1 ? map.keySet().iterator().next() : "") {
      case "Fn::Equals":
        return render(resolve(arguments.get(0))).equals(render(resolve(arguments.get(1))));
      case "Fn::Not":
        return !evaluate(arguments.get(0));
      case "Fn::And":
        return arguments.stream().allMatch(this::evaluate);
      case "Fn::Or":
        return arguments.stream().anyMatch(this::evaluate);
      case "Condition":
        return condition(String.valueOf(arguments.get(0)));
      default:
        throw new IllegalArgumentException("Cannot evaluate condition " + condition);
    }
  }

  Map<String, Object> resource(String logicalId) {
    return map(resources.get(logicalId));
  }

  /** The resource's type; a SAM function counts as the Lambda function it becomes. */
  String type(String logicalId) {
    Object type = resource(logicalId).get("Type");
    return "AWS::Serverless::Function".equals(type) ? "AWS::Lambda::Function" : (String) type;
  }

  /** The logical ids of resources of a type, in template order. */
  List<String> ofType(String type) {
    return resources.keySet().stream().filter(id -> type.equals(type(id))).toList();
  }

  static Map<String, Object> properties(Map<String, Object> resource) {
    return map(resource.get("Properties"));
  }

  /** Properties except tags and descriptions, with the deletion policy (Delete when absent). */
  String renderResource(String logicalId) {
    Map<String, Object> resource = resource(logicalId);
    Map<String, Object> compared = new TreeMap<>(properties(resource));
    compared.keySet().removeAll(UNCOMPARED_PROPERTIES);
    Object deletionPolicy = resource.getOrDefault("DeletionPolicy", "Delete");
    return render(compared) + " deletion=" + deletionPolicy;
  }

  /** The logical id a {@code Ref} or {@code Fn::GetAtt} names, or null for anything else. */
  static String referencedId(Object value) {
    Map<String, Object> map = map(value);
    if (map.size() != 1) {
      return null;
    }
    if (map.get("Ref") instanceof String id) {
      return id;
    }
    Object getAtt = map.get("Fn::GetAtt");
    if (getAtt instanceof List<?> list && !list.isEmpty()) {
      return String.valueOf(list.get(0));
    }
    if (getAtt instanceof String dotted) {
      return dotted.substring(0, dotted.indexOf('.'));
    }
    return null;
  }

  String render(Object value) {
    if (value == null) {
      return "none";
    }
    if (value instanceof Number number) {
      double d = number.doubleValue();
      return d == Math.rint(d) ? Long.toString((long) d) : number.toString();
    }
    if (value instanceof List<?> list) {
      return list.stream().map(this::render).collect(Collectors.joining(", ", "[", "]"));
    }
    if (value instanceof Map<?, ?>) {
      Map<String, Object> map = map(value);
      if (map.size() == 1) {
        String function = map.keySet().iterator().next();
        Object argument = map.get(function);
        switch (function) {
          case "Ref":
            return ref(String.valueOf(argument));
          case "Fn::GetAtt":
            return getAtt(argument);
          case "Fn::Join":
            if (argument instanceof List<?> join
                && join.size() == 2
                && join.get(1) instanceof List<?> parts) {
              return parts.stream()
                  .map(this::render)
                  .collect(Collectors.joining(String.valueOf(join.get(0))));
            }
            break;
          case "Fn::Sub":
            return sub(argument);
          default:
            break;
        }
      }
      return new TreeMap<>(map)
          .entrySet().stream()
              .map(e -> e.getKey() + "=" + render(e.getValue()))
              .collect(Collectors.joining(", ", "{", "}"));
    }
    return value.toString();
  }

  private String ref(String name) {
    if (name.startsWith("AWS::")) {
      return "${" + name + "}";
    }
    if (parameterValues.containsKey(name)) {
      return parameterValues.get(name);
    }
    if (parameters.containsKey(name)) {
      Object defaultValue = map(parameters.get(name)).get("Default");
      return defaultValue == null ? "${parameter " + name + "}" : render(defaultValue);
    }
    if (resources.containsKey(name)) {
      return "${" + type(name) + "}";
    }
    return "${unknown " + name + "}";
  }

  private String getAtt(Object argument) {
    String id;
    String attribute;
    if (argument instanceof List<?> list && list.size() == 2) {
      id = String.valueOf(list.get(0));
      attribute = String.valueOf(list.get(1));
    } else {
      String dotted = String.valueOf(argument);
      int dot = dotted.indexOf('.');
      id = dot < 0 ? dotted : dotted.substring(0, dot);
      attribute = dot < 0 ? "" : dotted.substring(dot + 1);
    }
    String type = resources.containsKey(id) ? type(id) : "unknown " + id;
    return "${" + type + "." + attribute + "}";
  }

  private String sub(Object argument) {
    String text;
    Map<String, Object> variables;
    if (argument instanceof List<?> list && list.size() == 2) {
      text = String.valueOf(list.get(0));
      variables = map(list.get(1));
    } else {
      text = String.valueOf(argument);
      variables = Map.of();
    }
    Matcher matcher = SUB_VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String name = matcher.group(1);
      String replacement;
      if (name.startsWith("!")) {
        replacement = "${" + name.substring(1) + "}";
      } else if (variables.containsKey(name)) {
        replacement = render(variables.get(name));
      } else if (name.contains(".") && !name.startsWith("AWS::")) {
        replacement = getAtt(name);
      } else {
        replacement = ref(name);
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
  }

  static List<Object> list(Object value) {
    if (value == null) {
      return List.of();
    }
    return value instanceof List<?> list ? new ArrayList<>(list) : List.of(value);
  }
}
