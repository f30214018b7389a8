package io.icecap.infra;

import static io.icecap.infra.TemplateView.list;
import static io.icecap.infra.TemplateView.map;
import static io.icecap.infra.TemplateView.properties;
import static io.icecap.infra.TemplateView.referencedId;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a deployment of Icecap must get right, read alike from a synthesized CDK template and from
 * the SAM template, so that the two can be compared and their differences named.
 *
 * @param resources for each compared resource type, its resources rendered and sorted
 */
record DeploymentEssentials(
    String handler,
    String runtime,
    String memorySize,
    String timeout,
    String ephemeralStorage,
    String architectures,
    String vpcConfig,
    SortedMap<String, String> environment,
    SortedSet<String> iamActions,
    SortedSet<String> iamStatements,
    SortedSet<String> managedPolicies,
    String logRetentionDays,
    SortedSet<String> schedules,
    SortedMap<String, List<String>> resources,
    SortedMap<String, String> outputs) {

  private static final List<String> COMPARED_TYPES =
      List.of(
          "AWS::S3::Bucket",
          "AWS::S3::BucketPolicy",
          "AWS::Logs::LogGroup",
          "AWS::EC2::VPC",
          "AWS::EC2::Subnet",
          "AWS::EC2::RouteTable",
          "AWS::EC2::SubnetRouteTableAssociation",
          "AWS::EC2::VPCEndpoint",
          "AWS::EC2::SecurityGroup",
          "AWS::EC2::SecurityGroupIngress",
          "AWS::EC2::NatGateway",
          "AWS::EC2::InternetGateway",
          "AWS::SecretsManager::Secret",
          "AWS::IAM::ManagedPolicy");
  private static final List<String> COMPARED_TYPE_PREFIXES = List.of("AWS::ElastiCache::");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  /**
   * Reads a template holding one function, an AWS::Lambda::Function or AWS::Serverless::Function.
   */
  static DeploymentEssentials of(Map<String, Object> template) {
    return of(template, Map.of());
  }

  /** Reads a template as deployed with these parameter values (defaults for the others). */
  static DeploymentEssentials of(Map<String, Object> template, Map<String, String> parameters) {
    TemplateView view = new TemplateView(template, parameters);
    List<String> functions = view.ofType("AWS::Lambda::Function");
    if (functions.size() != 1) {
      throw new IllegalArgumentException(
          String.format("Expected one Lambda function in the template, found %s", functions));
    }
    String functionId = functions.get(0);
    Map<String, Object> function = properties(view.resource(functionId));

    SortedMap<String, String> environment = new TreeMap<>();
    map(map(function.get("Environment")).get("Variables"))
        .forEach((name, value) -> environment.put(name, view.render(value)));

    SortedSet<String> statements = new TreeSet<>();
    SortedSet<String> actions = new TreeSet<>();
    SortedSet<String> managed = new TreeSet<>();
    for (Object statement : roleStatements(view, function, managed)) {
      Map<String, Object> s = map(statement);
      list(s.get("Action")).forEach(action -> actions.add(String.valueOf(action)));
      statements.add(renderStatement(view, s));
    }

    String logGroupId = referencedId(map(function.get("LoggingConfig")).get("LogGroup"));
    String retention =
        logGroupId == null
            ? "none"
            : view.render(properties(view.resource(logGroupId)).get("RetentionInDays"));

    SortedMap<String, List<String>> resources = new TreeMap<>();
    for (String id : view.resources().keySet()) {
      String type = view.type(id);
      if (COMPARED_TYPES.contains(type)
          || COMPARED_TYPE_PREFIXES.stream().anyMatch(type::startsWith)) {
        resources.computeIfAbsent(type, t -> new ArrayList<>()).add(view.renderResource(id));
      }
    }
    resources.values().forEach(rendered -> rendered.sort(null));

    SortedMap<String, String> outputs = new TreeMap<>();
    view.outputs()
        .forEach(
            (name, output) -> {
              Map<String, Object> o = map(output);
              outputs.put(
                  name,
                  view.render(o.get("Value"))
                      + (o.containsKey("Export") ? " export=" + view.render(o.get("Export")) : ""));
            });

    return new DeploymentEssentials(
        (String) function.get("Handler"),
        (String) function.get("Runtime"),
        view.render(function.get("MemorySize")),
        view.render(function.get("Timeout")),
        view.render(map(function.get("EphemeralStorage")).get("Size")),
        // Lambda's default architecture
        view.render(function.getOrDefault("Architectures", List.of("x86_64"))),
        view.render(function.get("VpcConfig")),
        environment,
        actions,
        statements,
        managed,
        retention,
        schedules(view, functionId, function),
        resources,
        outputs);
  }

  /** The statements the function's role grants, and its managed policies by name. */
  private static List<Object> roleStatements(
      TemplateView view, Map<String, Object> function, SortedSet<String> managed) {
    List<Object> statements = new ArrayList<>();
    String roleId = referencedId(function.get("Role"));
    if (roleId == null || !view.resources().containsKey(roleId)) {
      // SAM would make a role from Policies, adding managed policies of its own choosing
      throw new IllegalArgumentException(
          "The function's Role is not a role in the template: give the function an explicit role");
    }
    Map<String, Object> role = properties(view.resource(roleId));
    for (Object arn : list(role.get("ManagedPolicyArns"))) {
      String rendered = view.render(arn);
      managed.add(rendered.substring(rendered.lastIndexOf('/') + 1));
    }
    for (Object policy : list(role.get("Policies"))) {
      statements.addAll(list(map(map(policy).get("PolicyDocument")).get("Statement")));
    }
    for (String policyId : view.ofType("AWS::IAM::Policy")) {
      Map<String, Object> policy = properties(view.resource(policyId));
      if (list(policy.get("Roles")).stream().anyMatch(r -> roleId.equals(referencedId(r)))) {
        statements.addAll(list(map(policy.get("PolicyDocument")).get("Statement")));
      }
    }
    return statements;
  }

  private static String renderStatement(TemplateView view, Map<String, Object> statement) {
    TreeSet<String> actions = new TreeSet<>();
    list(statement.get("Action")).forEach(a -> actions.add(String.valueOf(a)));
    TreeSet<String> resources = new TreeSet<>();
    list(statement.get("Resource")).forEach(r -> resources.add(view.render(r)));
    String condition =
        statement.containsKey("Condition")
            ? " when " + view.render(singletonsUnwrapped(statement.get("Condition")))
            : "";
    return statement.get("Effect") + " " + actions + " on " + resources + condition;
  }

  /** IAM reads a one-element list of condition values as that value. */
  private static Object singletonsUnwrapped(Object value) {
    if (value instanceof List<?> list) {
      return list.size() == 1
          ? singletonsUnwrapped(list.get(0))
          : list.stream().map(DeploymentEssentials::singletonsUnwrapped).toList();
    }
    if (value instanceof Map<?, ?>) {
      Map<String, Object> unwrapped = new TreeMap<>();
      map(value).forEach((k, v) -> unwrapped.put(k, singletonsUnwrapped(v)));
      return unwrapped;
    }
    return value;
  }

  /** Schedules invoking the function: SAM Schedule events, or rules targeting the function. */
  private static SortedSet<String> schedules(
      TemplateView view, String functionId, Map<String, Object> function) {
    SortedSet<String> schedules = new TreeSet<>();
    for (Object event : map(function.get("Events")).values()) {
      Map<String, Object> e = map(event);
      if ("Schedule".equals(e.get("Type"))) {
        Map<String, Object> p = map(e.get("Properties"));
        schedules.add(schedule(view, p.get("Schedule"), p.get("Input"), p.get("RetryPolicy")));
      }
    }
    for (String ruleId : view.ofType("AWS::Events::Rule")) {
      Map<String, Object> rule = properties(view.resource(ruleId));
      for (Object target : list(rule.get("Targets"))) {
        Map<String, Object> t = map(target);
        if (functionId.equals(referencedId(t.get("Arn")))) {
          schedules.add(
              schedule(view, rule.get("ScheduleExpression"), t.get("Input"), t.get("RetryPolicy")));
        }
      }
    }
    return schedules;
  }

  private static String schedule(TemplateView view, Object expression, Object input, Object retry) {
    String json;
    try {
      json =
          input == null
              ? "none"
              : JSON.writeValueAsString(JSON.readValue((String) input, Object.class));
    } catch (JsonProcessingException | ClassCastException e) {
      json = "not JSON: " + input;
    }
    return view.render(expression) + " input=" + json + " retryPolicy=" + view.render(retry);
  }

  /**
   * What differs between this deployment and another, one message per difference naming the field,
   * the two sides and their values; empty when they agree.
   */
  List<String> differences(DeploymentEssentials other, String thisName, String otherName) {
    Differences d = new Differences(thisName, otherName);
    d.value("handler", handler, other.handler);
    d.value("runtime", runtime, other.runtime);
    d.value("memorySize", memorySize, other.memorySize);
    d.value("timeout", timeout, other.timeout);
    d.value("ephemeralStorage", ephemeralStorage, other.ephemeralStorage);
    d.value("architectures", architectures, other.architectures);
    d.value("VPC config", vpcConfig, other.vpcConfig);
    d.entries("environment variable", environment, other.environment);
    d.set("IAM actions", iamActions, other.iamActions);
    d.set("IAM statements", iamStatements, other.iamStatements);
    d.set("managed policies", managedPolicies, other.managedPolicies);
    d.value("log retention days", logRetentionDays, other.logRetentionDays);
    d.set("schedules", schedules, other.schedules);
    TreeSet<String> types = new TreeSet<>(resources.keySet());
    types.addAll(other.resources.keySet());
    for (String type : types) {
      d.multiset(
          type + " resources",
          resources.getOrDefault(type, List.of()),
          other.resources.getOrDefault(type, List.of()));
    }
    d.entries("output", outputs, other.outputs);
    return d.messages;
  }

  private static final class Differences {
    private final String thisName;
    private final String otherName;
    private final List<String> messages = new ArrayList<>();

    Differences(String thisName, String otherName) {
      this.thisName = thisName;
      this.otherName = otherName;
    }

    void value(String field, String mine, String theirs) {
      if (!Objects.equals(mine, theirs)) {
        messages.add(
            String.format(
                "%s: %s has %s, %s has %s",
                field, thisName, describe(mine), otherName, describe(theirs)));
      }
    }

    void entries(String field, Map<String, String> mine, Map<String, String> theirs) {
      TreeSet<String> names = new TreeSet<>(mine.keySet());
      names.addAll(theirs.keySet());
      for (String name : names) {
        value(field + " " + name, mine.get(name), theirs.get(name));
      }
    }

    void set(String field, SortedSet<String> mine, SortedSet<String> theirs) {
      multiset(field, new ArrayList<>(mine), new ArrayList<>(theirs));
    }

    void multiset(String field, List<String> mine, List<String> theirs) {
      List<String> onlyMine = new ArrayList<>(mine);
      theirs.forEach(onlyMine::remove);
      List<String> onlyTheirs = new ArrayList<>(theirs);
      mine.forEach(onlyTheirs::remove);
      if (!onlyMine.isEmpty() || !onlyTheirs.isEmpty()) {
        messages.add(
            String.format(
                "%s: only in %s %s; only in %s %s",
                field, thisName, onlyMine, otherName, onlyTheirs));
      }
    }

    private static String describe(String value) {
      return value == null ? "none" : "'" + value + "'";
    }
  }
}
