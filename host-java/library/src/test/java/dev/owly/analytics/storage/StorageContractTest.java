package dev.owly.analytics.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.owly.analytics.spi.Batch;
import dev.owly.analytics.spi.NewBatch;
import dev.owly.analytics.spi.NewRow;
import dev.owly.analytics.spi.Row;
import dev.owly.analytics.spi.Settlement;
import dev.owly.analytics.spi.StorageException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The storage contract; run against every supported database by the subclasses. */
abstract class StorageContractTest {
  static final long T0 = 1_700_000_000_000L;
  static final long LEASE = 300_000L;

  DataSource dataSource;
  JdbcStorage nodeA;
  JdbcStorage nodeB;

  /** A data source on an empty (or emptied) database. */
  abstract DataSource freshDataSource() throws Exception;

  @BeforeEach
  void setUp() throws Exception {
    dataSource = freshDataSource();
    nodeA = JdbcStorage.builder(dataSource).withNodeId("node-a").build();
    nodeB = JdbcStorage.builder(dataSource).withNodeId("node-b").build();
  }

  static NewRow row(int n) {
    return new NewRow(
        "owly.test.event",
        "TEST-TEST-TEST-0001",
        "9.12.15",
        "0.9.9-test",
        T0 / 1000 + n,
        n % 2 == 0 ? "" : "{\"count\":" + n + ",\"label\":\"ünïcødé ✓\"}");
  }

  List<Long> appendRows(int count) {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(nodeA.append(row(i)));
    }
    return ids;
  }

  static long[] ids(List<Row> rows) {
    return rows.stream().mapToLong(Row::id).toArray();
  }

  NewBatch batch(long nonce, List<Row> rows, long nowMs) {
    return new NewBatch(
        nonce, "ZGF0YQ==", "0123456789ABCDEF0123456789ABCDEF01234567", ids(rows), nowMs);
  }

  long count(String sql) throws Exception {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  long ledgerRows() throws Exception {
    return count("SELECT COUNT(*) FROM \"AO_OWLY_LEDGER_AO\"");
  }

  long eventsIn(String state) throws Exception {
    return count("SELECT COUNT(*) FROM \"AO_OWLY_EVENT_AO\" WHERE \"STATE\" = '" + state + "'");
  }

  @Test
  void appendStoresRowsWithAscendingIdsAndReadsThemBackExactly() {
    List<Long> ids = appendRows(3);
    assertTrue(ids.get(0) < ids.get(1) && ids.get(1) < ids.get(2));
    List<Row> peeked = nodeA.peek(10);
    assertEquals(ids, peeked.stream().map(Row::id).toList());
    assertEquals(row(1), peeked.get(1).data());
    assertEquals(row(0), peeked.get(0).data());
  }

  @Test
  void peekDoesNotClaim() {
    appendRows(2);
    nodeA.peek(10);
    assertEquals(2, nodeB.claim(10, T0, T0 + LEASE).size());
  }

  @Test
  void claimTakesPendingRowsOldestFirstUpToTheLimit() {
    List<Long> ids = appendRows(5);
    List<Row> claimed = nodeA.claim(3, T0, T0 + LEASE);
    assertEquals(ids.subList(0, 3), claimed.stream().map(Row::id).toList());
    assertEquals(row(0), claimed.get(0).data());
  }

  @Test
  void claimSkipsRowsWhoseLeaseIsStillRunning() {
    appendRows(3);
    assertEquals(3, nodeA.claim(10, T0, T0 + LEASE).size());
    assertTrue(nodeB.claim(10, T0 + 1, T0 + 1 + LEASE).isEmpty());
    assertTrue(nodeB.claim(10, T0 + LEASE, T0 + 2 * LEASE).isEmpty(), "a lease ending now holds");
  }

  @Test
  void claimRetakesRowsWhoseLeaseEnded() {
    List<Long> ids = appendRows(3);
    nodeA.claim(10, T0, T0 + LEASE);
    List<Row> retaken = nodeB.claim(10, T0 + LEASE + 1, T0 + 2 * LEASE);
    assertEquals(ids, retaken.stream().map(Row::id).toList());
  }

  @Test
  void sealWritesTheLedgerAndMovesTheRowsInOneStep() throws Exception {
    appendRows(4);
    List<Row> claimed = nodeA.claim(4, T0, T0 + LEASE);
    long ledgerId = nodeA.seal(batch(42, claimed, T0 + 10));
    assertEquals(4, eventsIn("sealed"));
    LedgerEntry entry = nodeA.ledgerEntry(ledgerId).orElseThrow();
    assertEquals(42, entry.nonce());
    assertEquals("ZGF0YQ==", entry.dataEncoded());
    assertEquals(4, entry.rowCount());
    assertEquals("sealed", entry.status());
    assertEquals(0, entry.attempts());
    assertEquals(T0 + 10, entry.sealedAt());
    assertEquals(T0 + 10, entry.nextAttemptAt());
    assertEquals(
        4, count("SELECT COUNT(*) FROM \"AO_OWLY_EVENT_AO\" WHERE \"BATCH_ID\" = " + ledgerId));
  }

  @Test
  void sealAfterTheLeaseWasTakenOverFailsWithLostClaimAndChangesNothing() throws Exception {
    appendRows(2);
    List<Row> claimedByA = nodeA.claim(2, T0, T0 + LEASE);
    List<Row> claimedByB = nodeB.claim(2, T0 + LEASE + 1, T0 + 3 * LEASE);
    assertEquals(2, claimedByB.size());
    StorageException e =
        assertThrows(
            StorageException.class, () -> nodeA.seal(batch(7, claimedByA, T0 + LEASE + 2)));
    assertEquals(StorageException.Kind.LOST_CLAIM, e.kind());
    assertEquals(0, ledgerRows());
    assertEquals(2, eventsIn("pending"));
    assertEquals(
        2, count("SELECT COUNT(*) FROM \"AO_OWLY_EVENT_AO\" WHERE \"CLAIMED_BY\" = 'node-b'"));
  }

  @Test
  void sealAfterTheOwnLeaseExpiredFailsWithLostClaim() throws Exception {
    appendRows(1);
    List<Row> claimed = nodeA.claim(1, T0, T0 + LEASE);
    StorageException e =
        assertThrows(StorageException.class, () -> nodeA.seal(batch(7, claimed, T0 + LEASE + 1)));
    assertEquals(StorageException.Kind.LOST_CLAIM, e.kind());
    assertEquals(0, ledgerRows());
  }

  @Test
  void sealIsAtomicWhenOneRowOfTheBatchIsNotHeld() throws Exception {
    appendRows(3);
    List<Row> mine = nodeA.claim(2, T0, T0 + LEASE);
    List<Row> theirs = nodeB.claim(1, T0, T0 + LEASE);
    List<Row> mixed = new ArrayList<>(mine);
    mixed.addAll(theirs);
    // The ledger row is inserted before the rows are moved: the failure comes in the middle.
    StorageException e =
        assertThrows(StorageException.class, () -> nodeA.seal(batch(9, mixed, T0 + 5)));
    assertEquals(StorageException.Kind.LOST_CLAIM, e.kind());
    assertEquals(0, ledgerRows());
    assertEquals(3, eventsIn("pending"));
    assertEquals(2, nodeA.seal(batch(9, mine, T0 + 6)) > 0 ? eventsIn("sealed") : -1);
  }

  @Test
  void sealWithANonceAlreadyInTheLedgerChangesNothing() throws Exception {
    appendRows(2);
    List<Row> claimed = nodeA.claim(2, T0, T0 + LEASE);
    List<Row> first = claimed.subList(0, 1);
    List<Row> second = claimed.subList(1, 2);
    nodeA.seal(batch(5, first, T0 + 1));
    StorageException e =
        assertThrows(StorageException.class, () -> nodeA.seal(batch(5, second, T0 + 2)));
    assertEquals(StorageException.Kind.OTHER, e.kind());
    assertEquals(1, ledgerRows());
    assertEquals(1, eventsIn("pending"));
  }

  @Test
  void aRestartedNodeTakesBackItsOwnClaimedRowsAtOnce() {
    List<Long> ids = appendRows(3);
    assertEquals(3, nodeA.claim(10, T0, T0 + LEASE).size());
    // node-a is killed here, before sealing; it starts again with the same node id
    JdbcStorage restarted = JdbcStorage.builder(dataSource).withNodeId("node-a").build();
    assertTrue(nodeB.claim(10, T0 + 1, T0 + 1 + LEASE).isEmpty(), "others wait for the lease");
    assertEquals(ids, restarted.claim(10, T0 + 1, T0 + 1 + LEASE).stream().map(Row::id).toList());
  }

  @Test
  void aRestartedNodeResendsItsOwnInterruptedBatchAtOnce() throws Exception {
    appendRows(2);
    long id = nodeA.seal(batch(13, nodeA.claim(2, T0, T0 + LEASE), T0));
    // node-a is killed while sending, before settling
    JdbcStorage restarted = JdbcStorage.builder(dataSource).withNodeId("node-a").build();
    assertTrue(nodeB.due(10, T0 + 1, T0 + 1 + LEASE).isEmpty(), "others wait for the lease");
    List<Batch> due = restarted.due(10, T0 + 1, T0 + 1 + LEASE);
    assertEquals(List.of(id), due.stream().map(Batch::id).toList());
    assertEquals(13, due.get(0).nonce(), "resent under its nonce");
    restarted.settle(id, T0 + 2, new Settlement.Delivered(200));
    assertEquals(2, eventsIn("delivered"));
  }

  @Test
  void twoClaimsOfOneNodeAtOnceNeverSealARowTwice() throws Exception {
    appendRows(2);
    List<Row> first = nodeA.claim(10, T0, T0 + LEASE);
    List<Row> second = nodeA.claim(10, T0 + 1, T0 + 1 + LEASE); // a second thread of node-a
    assertEquals(ids(first).length, ids(second).length);
    nodeA.seal(batch(1, second, T0 + 2));
    StorageException e =
        assertThrows(StorageException.class, () -> nodeA.seal(batch(2, first, T0 + 3)));
    assertEquals(StorageException.Kind.LOST_CLAIM, e.kind());
    assertEquals(1, ledgerRows());
    assertEquals(2, eventsIn("sealed"));
  }

  @Test
  void sealedBatchIsLeasedToTheSealingNodeUntilItsClaimEnds() {
    appendRows(1);
    nodeA.seal(batch(11, nodeA.claim(1, T0, T0 + LEASE), T0 + 1));
    assertTrue(nodeB.due(10, T0 + 2, T0 + 2 + LEASE).isEmpty());
    List<Batch> due = nodeB.due(10, T0 + LEASE + 1, T0 + 3 * LEASE);
    assertEquals(1, due.size());
    assertEquals(11, due.get(0).nonce());
  }

  @Test
  void dueLeasesDueBatchesToOneNodeAtATime() {
    appendRows(2);
    long id = nodeA.seal(batch(21, nodeA.claim(2, T0, T0 + LEASE), T0));
    nodeA.settle(id, T0 + 1, new Settlement.Retry(T0 + 1000, 503));
    assertTrue(nodeA.due(10, T0 + 999, T0 + 999 + LEASE).isEmpty(), "not due yet");
    List<Batch> due = nodeA.due(10, T0 + 1000, T0 + 1000 + LEASE);
    assertEquals(1, due.size());
    Batch b = due.get(0);
    assertEquals(
        new Batch(id, 21, "ZGF0YQ==", "0123456789ABCDEF0123456789ABCDEF01234567", 2, 1), b);
    assertTrue(nodeB.due(10, T0 + 1001, T0 + 1001 + LEASE).isEmpty(), "leased to node-a");
    assertEquals(1, nodeB.due(10, T0 + 1001 + LEASE, T0 + 2 * LEASE + 2000).size());
  }

  @Test
  void settleDeliveredMarksTheBatchAndItsRowsDelivered() throws Exception {
    appendRows(3);
    long id = nodeA.seal(batch(31, nodeA.claim(3, T0, T0 + LEASE), T0));
    nodeA.settle(id, T0 + 50, new Settlement.Delivered(200));
    LedgerEntry e = nodeA.ledgerEntry(id).orElseThrow();
    assertEquals("delivered", e.status());
    assertEquals(1, e.attempts());
    assertEquals(200, e.lastStatus());
    assertEquals(T0 + 50, e.settledAt());
    assertEquals(3, eventsIn("delivered"));
    assertTrue(nodeA.due(10, T0 + 10 * LEASE, T0 + 11 * LEASE).isEmpty());
  }

  @Test
  void settleFailedKeepsTheBatchInTheLedgerAndNeverResendsIt() throws Exception {
    appendRows(1);
    long id = nodeA.seal(batch(41, nodeA.claim(1, T0, T0 + LEASE), T0));
    nodeA.settle(id, T0 + 5, new Settlement.Failed(400, "http.client-error"));
    LedgerEntry e = nodeA.ledgerEntry(id).orElseThrow();
    assertEquals("failed", e.status());
    assertEquals("http.client-error", e.reason());
    assertEquals(400, e.lastStatus());
    assertEquals(1, eventsIn("failed"));
    assertTrue(nodeA.due(10, T0 + 10 * LEASE, T0 + 11 * LEASE).isEmpty());
  }

  @Test
  void settleRetryWithoutStatusCountsTheAttemptAndReschedules() {
    appendRows(1);
    long id = nodeA.seal(batch(51, nodeA.claim(1, T0, T0 + LEASE), T0));
    nodeA.settle(id, T0 + 5, new Settlement.Retry(T0 + 30_000, null));
    LedgerEntry e = nodeA.ledgerEntry(id).orElseThrow();
    assertEquals("retry", e.status());
    assertEquals(1, e.attempts());
    assertEquals(null, e.lastStatus());
    assertEquals(T0 + 30_000, e.nextAttemptAt());
  }

  @Test
  void settleByANodeThatDoesNotHoldTheBatchIsLostClaimAndChangesNothing() {
    appendRows(1);
    long id = nodeA.seal(batch(61, nodeA.claim(1, T0, T0 + LEASE), T0));
    StorageException e =
        assertThrows(
            StorageException.class, () -> nodeB.settle(id, T0 + 5, new Settlement.Delivered(200)));
    assertEquals(StorageException.Kind.LOST_CLAIM, e.kind());
    assertEquals("sealed", nodeA.ledgerEntry(id).orElseThrow().status());
    nodeA.settle(id, T0 + 6, new Settlement.Delivered(200));
    assertEquals(
        StorageException.Kind.LOST_CLAIM,
        assertThrows(
                StorageException.class,
                () -> nodeA.settle(id, T0 + 7, new Settlement.Delivered(200)))
            .kind(),
        "a settled batch cannot be settled again");
  }

  @Test
  void quarantineRejectsClaimedRowsWithTheRuleAndTheyAreNeverClaimedAgain() throws Exception {
    appendRows(2);
    List<Row> claimed = nodeA.claim(2, T0, T0 + LEASE);
    nodeA.quarantine(new long[] {claimed.get(0).id()}, "@email");
    assertEquals(1, eventsIn("rejected"));
    assertEquals(
        1, count("SELECT COUNT(*) FROM \"AO_OWLY_EVENT_AO\" WHERE \"REJECT_RULE\" = '@email'"));
    List<Row> later = nodeB.claim(10, T0 + 2 * LEASE, T0 + 3 * LEASE);
    assertEquals(List.of(claimed.get(1).id()), later.stream().map(Row::id).toList());
  }

  @Test
  void quarantineOfRowsHeldByAnotherNodeIsLostClaim() {
    appendRows(1);
    List<Row> claimed = nodeA.claim(1, T0, T0 + LEASE);
    assertEquals(
        StorageException.Kind.LOST_CLAIM,
        assertThrows(StorageException.class, () -> nodeB.quarantine(ids(claimed), "@email"))
            .kind());
  }

  @Test
  void purgeDeletesSettledBatchesWithTheirRowsAndOldRejectedRowsOnly() throws Exception {
    appendRows(6);
    long delivered = nodeA.seal(batch(71, nodeA.claim(2, T0, T0 + LEASE), T0));
    nodeA.settle(delivered, T0 + 100, new Settlement.Delivered(200));
    long failed = nodeA.seal(batch(72, nodeA.claim(1, T0, T0 + LEASE), T0));
    nodeA.settle(failed, T0 + 100, new Settlement.Failed(404, "http.client-error"));
    long retrying = nodeA.seal(batch(73, nodeA.claim(1, T0, T0 + LEASE), T0));
    nodeA.settle(retrying, T0 + 100, new Settlement.Retry(T0 + 5000, 503));
    nodeA.quarantine(ids(nodeA.claim(1, T0, T0 + LEASE)), "@issue-key");
    // one row stays pending
    assertEquals(0, nodeA.purge(T0 + 100), "settled exactly at the cut-off: kept");
    long purged = nodeA.purge(T0 + 1_000_000);
    // 2 + 1 rows, 2 batches, 1 rejected row
    assertEquals(6, purged);
    assertEquals(1, ledgerRows());
    assertEquals(1, eventsIn("pending"));
    assertEquals(1, eventsIn("sealed"));
    assertEquals(0, eventsIn("rejected"));
  }

  @Test
  void deleteAllRemovesEveryEventAndLedgerRow() throws Exception {
    appendRows(3);
    nodeA.seal(batch(81, nodeA.claim(2, T0, T0 + LEASE), T0));
    assertEquals(4, nodeA.deleteAll());
    assertEquals(0, ledgerRows());
    assertEquals(0, count("SELECT COUNT(*) FROM \"AO_OWLY_EVENT_AO\""));
    assertTrue(nodeA.eventCounts().isEmpty());
  }

  @Test
  void ledgerListsTheNewestBatchesFirst() {
    appendRows(2);
    long first = nodeA.seal(batch(91, nodeA.claim(1, T0, T0 + LEASE), T0));
    long second = nodeA.seal(batch(92, nodeA.claim(1, T0, T0 + LEASE), T0));
    List<LedgerEntry> ledger = nodeA.ledger(10);
    assertEquals(List.of(second, first), ledger.stream().map(LedgerEntry::id).toList());
    assertEquals(1, nodeA.ledger(1).size());
  }

  @Test
  void migrationIsIdempotentAndRecordsTheVersion() {
    Schema.migrate(dataSource);
    Schema.migrate(dataSource);
    assertEquals(Schema.latestVersion(), Schema.currentVersion(dataSource));
    appendRows(1);
    assertEquals(1, nodeA.peek(5).size());
  }

  @Test
  void concurrentNodesNeverClaimTheSameRowAndTogetherClaimAll() throws Exception {
    int rows = 300;
    int nodes = 6;
    Set<Long> all = new HashSet<>(appendRows(rows));
    Set<Long> claimed = ConcurrentHashMap.newKeySet();
    AtomicInteger duplicates = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(nodes);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int n = 0; n < nodes; n++) {
        JdbcStorage node = JdbcStorage.builder(dataSource).withNodeId("node-" + n).build();
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  int mine = 0;
                  int emptyRounds = 0;
                  while (emptyRounds < 3) {
                    List<Row> got;
                    try {
                      got = node.claim(7, T0, T0 + LEASE);
                    } catch (StorageException e) {
                      if (e.kind() != StorageException.Kind.UNAVAILABLE) {
                        throw e;
                      }
                      continue; // lock timeout: try again, as the core would
                    }
                    emptyRounds = got.isEmpty() ? emptyRounds + 1 : 0;
                    if (!got.isEmpty()) {
                      // Done with them (a node's own claims are its own again at its next claim).
                      node.quarantine(ids(got), "test.done");
                    }
                    for (Row r : got) {
                      if (!claimed.add(r.id())) {
                        duplicates.incrementAndGet();
                      }
                    }
                    mine += got.size();
                  }
                  return mine;
                }));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> f : results) {
        total += f.get(120, TimeUnit.SECONDS);
      }
      assertEquals(0, duplicates.get(), "no row claimed twice");
      assertEquals(rows, total);
      assertEquals(all, claimed, "every row claimed");
      assertFalse(nodeA.claim(10, T0 + 1, T0 + LEASE).iterator().hasNext());
    } finally {
      pool.shutdownNow();
    }
  }
}
