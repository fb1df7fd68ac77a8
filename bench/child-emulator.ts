// Child process of the budget scenario: an emulator serving a scale workspace, in a process of
// its own (see emulator-process.ts). Prints `{url, token}` as one JSON line once it listens,
// then serves until its stdin closes (the parent stopped it, or died).
import { scaleWorkspace, startEmulator } from "../src/emulator/index.ts";
import { childInput, emulatorInput } from "./child-messages.ts";

const input = childInput(emulatorInput);
const emulator = await startEmulator({
  seed: scaleWorkspace(input.scale),
  rateLimit: false,
  latencyMs: 0,
});
process.stdout.write(`${JSON.stringify({ url: emulator.url, token: emulator.token })}\n`);
process.stdin.resume();
process.stdin.once("end", () => {
  void emulator.stop().finally(() => process.exit(0));
});
