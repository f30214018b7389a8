package io.icecap.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.icecap.catalog.AclRole;
import io.icecap.testing.RedisServerExtension;
import io.icecap.txn.CommitToken;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each Icecap role's ACL rules ({@link AclRole}) on a real Redis: a client user creates tables and
 * writes, a worker user applies, an admin user drops; each is refused what its rules leave out. On
 * Redis 7 the rules also keep clients and workers from writing each other's keys; Redis 6.2 (the
 * embedded binary) has no read-only key patterns, so those checks run only on Redis 7 (put its
 * {@code redis-server} on {@code PATH}).
 */
class AclRolesIT {
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.builder().build();

  private static final String PASSWORD = "role-pw";
  private static final String RESULTS = "icecap:{icecap.s.t}:results";

  @TempDir static Path warehouse;
  @TempDir Path home;

  private static boolean redis7;

  @BeforeAll
  static void createUsers() {
    String version = REDIS.server().version();
    redis7 = Integer.parseInt(version.split("\\.")[0]) >= 7;
    asUser(
        null,
        redis -> {
          for (AclRole role : AclRole.values()) {
            CommandArgs<String, String> args =
                new CommandArgs<>(StringCodec.UTF8)
                    .add("SETUSER")
                    .add(role.roleName())
                    .add("reset")
                    .add("on")
                    .add(">" + PASSWORD);
            for (String rule : role.rules(version).split(" ")) {
              args.add(rule);
            }
            redis.dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8), args);
          }
        });
  }

  @Test
  void aClientCreatesAndWritesAWorkerAppliesAndAnAdminDrops() throws Exception {
    asUser(
        null,
        redis ->
            redis.dispatch(
                CommandType.ACL,
                new StatusOutput<>(StringCodec.UTF8),
                new CommandArgs<>(StringCodec.UTF8).add("LOG").add("RESET")));
    try (IcecapSession client = session(AclRole.CLIENT, 0, "client");
        IcecapSession worker = session(AclRole.WORKER, 1, "worker")) {
      client.execute("CREATE SCHEMA s");
      client.execute("CREATE TABLE s.t (id BIGINT NOT NULL, note VARCHAR)");
      client.execute("ALTER TABLE s.t ADD COLUMN qty INTEGER");
      CommitToken token = client.executeAsync("INSERT INTO s.t VALUES (1, 'a', 2)");

      // the client leaves the apply to workers; the worker's sweeper finds the record
      assertThat(client.await(token).rowCounts()).containsExactly(1L);
      assertThat(count(client, "SELECT count(*) FROM s.t")).isEqualTo(1);
      assertThat(client.logStatus("s.t", 10).pending()).isZero();
      assertThat(client.findTransaction("s.t", token.transactionId())).contains(token);

      assertThat(aclLog()).as("nothing the client and the worker did was refused").isEmpty();

      if (redis7) {
        assertThatThrownBy(() -> client.execute("DROP TABLE s.t"))
            .isInstanceOfSatisfying(
                IcecapException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED))
            .hasMessageContaining("AclRole");
        assertThat(client.execute("INSERT INTO s.t VALUES (2, 'b', 3)"))
            .as("the refused drop left the table whole")
            .isEqualTo(1);
      }
    }
    try (IcecapSession admin = session(AclRole.ADMIN, 0, "admin")) {
      admin.execute("DROP TABLE s.t");
      admin.execute("DROP SCHEMA s");
    }
  }

  @Test
  void aClientIsRefusedWhatItsRulesLeaveOut() {
    asUser(
        AclRole.CLIENT,
        redis -> {
          assertRefused(redis::flushall);
          assertRefused(() -> redis.configGet("*"));
          assertRefused(() -> redis.keys("*"));
          assertRefused(() -> redis.set("not-icecap", "1"));
          assertRefused(() -> redis.hset("not-icecap", "f", "v"));
          assertRefused(() -> redis.xtrim("icecap:{icecap.s.t}:log", 0));
          assertRefused(() -> eval(redis, "return redis.call('FLUSHALL')"));
          assertThat(redis.hget("icecap:{icecap.s.t}:meta", "metadata_location")).isNull();
          if (redis7) {
            // results, leases, the replica map and the watermark are the workers' to write
            assertRefused(() -> redis.hset(RESULTS, "1", "{\"committed\":true}"));
            assertRefused(() -> redis.hset("icecap:{icecap.s.t}:state", "watermark", "99"));
            assertRefused(() -> eval(redis, "return redis.call('DEL', KEYS[1])", RESULTS));
          }
        });
  }

  @Test
  void aWorkerIsRefusedWhatItsRulesLeaveOut() {
    asUser(
        AclRole.WORKER,
        redis -> {
          assertThat(redis.brpop(1, "icecap:{empty}:jobs")).isNull();
          assertRefused(redis::flushall);
          assertRefused(() -> redis.xadd("icecap:{icecap.s.t}:log", "r", "x"));
          assertRefused(() -> redis.incr("icecap:{icecap.s.t}:seq"));
          assertRefused(() -> redis.del("icecap:{icecap.s.t}:meta"));
          assertRefused(() -> redis.lpush("icecap:{icecap}:jobs", "1:s.t"));
          if (redis7) {
            assertRefused(() -> redis.hset("icecap:{icecap}:ns:s:props", "p", "v"));
            assertRefused(() -> redis.hset("icecap:{icecap.s.t}:txns", "id", "1"));
          }
        });
  }

  @Test
  void theRulesHaveOneSourceAndTheRedis7FormSeparatesReadFromWrite() {
    assertThat(AclRole.CLIENT.rules())
        .startsWith("resetchannels -@all +ping")
        .contains("+client|setname", "+info", "+evalsha", "%R~icecap:*", "%RW~icecap:*}:log")
        .doesNotContain("%RW~icecap:*}:results", "+rename", "+xtrim");
    assertThat(AclRole.WORKER.rules())
        .contains("%RW~icecap:*}:results", "+xtrim", "+brpop")
        .doesNotContain("%RW~icecap:*}:seq", "+xadd", "+del ");
    assertThat(AclRole.ADMIN.rules()).contains("+rename", "%RW~icecap:*", "+evalsha_ro");
    assertThat(AclRole.CLIENT.redis6Rules()).endsWith(" ~icecap:*").doesNotContain("%", "_ro");
    assertThat(AclRole.CLIENT.rules("6.2.6")).isEqualTo(AclRole.CLIENT.redis6Rules());
    assertThat(AclRole.CLIENT.rules("7.0.15")).isEqualTo(AclRole.CLIENT.rules());
  }

  /** The server's log of refused commands. */
  private static List<Object> aclLog() {
    List<Object> log = new ArrayList<>();
    asUser(
        null,
        redis ->
            log.addAll(
                redis.dispatch(
                    CommandType.ACL,
                    new ArrayOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).add("LOG"))));
    return log;
  }

  private IcecapSession session(AclRole role, int workers, String dir) {
    return Icecap.connect(
        IcecapConfig.redis(
                REDIS.server().uri(role.roleName(), PASSWORD),
                warehouse.toString(),
                home.resolve(dir))
            .withWorkers(workers));
  }

  private static void asUser(AclRole role, Consumer<RedisCommands<String, String>> body) {
    String uri =
        role == null ? REDIS.server().uri() : REDIS.server().uri(role.roleName(), PASSWORD);
    RedisClient client = RedisClient.create(RedisURI.create(uri));
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      body.accept(connection.sync());
    } finally {
      client.shutdown();
    }
  }

  private static Object eval(RedisCommands<String, String> redis, String script, String... keys) {
    return redis.eval(script, ScriptOutputType.VALUE, keys);
  }

  private static void assertRefused(Runnable command) {
    assertThatThrownBy(command::run)
        .isInstanceOf(RedisCommandExecutionException.class)
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    // Redis 6.2 words a refusal inside a script without the NOPERM code
                    .containsAnyOf("NOPERM", "can't run this command", "can't access"));
  }

  private static long count(IcecapSession session, String sql) throws Exception {
    try (ResultSet rows = session.query(sql)) {
      assertThat(rows.next()).isTrue();
      return rows.getLong(1);
    }
  }
}
