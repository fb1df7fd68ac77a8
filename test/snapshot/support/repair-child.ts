// A process that opens a run's snapshot for appending, which repairs a torn last line first, so
// that a test can SIGKILL it at any instant of the repair. argv: <snapshots dir> <run id>.
import { SnapshotWriter } from "../../../src/snapshot/snapshot-file.ts";
import { bigRunEntry } from "./big-snapshot.ts";

const [dir, runId] = process.argv.slice(2);
if (!dir || !runId) throw new Error("usage: repair-child <snapshots dir> <run id>");
process.stdout.write("opening\n");
const writer = SnapshotWriter.open(dir, runId, { header: bigRunEntry(runId) });
writer.close();
process.stdout.write("opened\n");
