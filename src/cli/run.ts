// The executable entry: runs the CLI on this process's arguments and sets the exit code.
import { main } from "./main.ts";

process.exitCode = await main(process.argv);
