package io.icecap.testing;

/**
 * The main class of {@link TestingJvmFleetTest}'s child JVMs. Arguments: {@code ID ready LINES}
 * prints {@code ID ready}, then {@code LINES} numbered lines, and waits to be stopped; {@code ID
 * exit CODE} prints a line and exits with {@code CODE}; {@code ID silent} prints a line and waits
 * without ever being ready.
 */
public final class EchoJvm {
  private EchoJvm() {}

  public static void main(String[] args) throws InterruptedException {
    String id = args[0];
    System.out.println(id + " says " + String.join(" ", args));
    switch (args[1]) {
      case "ready" -> {
        System.out.println(id + " ready");
        for (int i = 1; i <= Integer.parseInt(args[2]); i++) {
          System.out.println(id + " line " + i);
        }
      }
      case "exit" -> System.exit(Integer.parseInt(args[2]));
      default -> System.out.println(id + " stays silent");
    }
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
