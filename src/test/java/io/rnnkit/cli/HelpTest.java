package io.rnnkit.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

import static io.rnnkit.cli.CliTest.rnnkit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every command answers -h, --help and {@code rnnkit help COMMAND}: its usage on stdout, exit 0, nothing on stderr. */
class HelpTest {
    /** The subcommands as Main declares them, so a command added later is covered without editing this test. */
    private static List<String> commands() {
        List<String> names = new ArrayList<>(new CommandLine(new Main()).getSubcommands().keySet());
        names.remove("help");
        return names;
    }

    @Test
    void everySubcommandAnswersHelpWithItsUsageOnStdoutAndExit0() {
        List<String> commands = commands();
        assertTrue(commands.containsAll(List.of("validate", "train", "evaluate", "predict", "translate", "generate", "inspect",
                "report", "diagnose", "tune", "schema", "bench")), commands.toString());
        for (String command : commands) {
            CliTest.Outcome help = rnnkit(command, "--help");
            assertEquals(0, help.code(), command + " --help: " + help.err());
            assertTrue(help.out().startsWith("Usage: rnnkit " + command + " "), command + " --help printed:\n" + help.out());
            assertTrue(help.out().contains("-h, --help"), command + " --help lists itself:\n" + help.out());
            assertEquals("", help.err(), command + " --help");
            assertEquals(help, rnnkit(command, "-h"), command + " -h");
            assertEquals(help, rnnkit("help", command), "help " + command);
        }
    }

    @Test
    void helpAloneListsTheCommandsAndTheRootStillAnswersHelpAndVersion() {
        CliTest.Outcome help = rnnkit("help");
        assertEquals(0, help.code(), help.err());
        assertTrue(help.out().startsWith("Usage: rnnkit [-hV] [COMMAND]"), help.out());
        for (String command : commands()) {
            assertTrue(help.out().contains("\n  " + command + " "), command + " is listed:\n" + help.out());
        }
        assertEquals(help, rnnkit("--help"));
        CliTest.Outcome version = rnnkit("train", "--version");
        assertEquals(0, version.code(), version.err());
        assertTrue(version.out().startsWith("rnnkit "), version.out());
    }

    @Test
    void helpOnAnUnknownCommandIsBadInput() {
        CliTest.Outcome o = rnnkit("help", "trian");
        assertEquals(2, o.code(), o.out());
        assertTrue(o.err().contains("trian"), o.err());
        assertFalse(o.err().contains("\tat "), "no stack trace");
    }

    @Test
    void helpWinsOverMissingRequiredOptions() {
        assertEquals(2, rnnkit("evaluate", "--split", "test").code(), "--model and --config are required");
        CliTest.Outcome o = rnnkit("evaluate", "--split", "test", "--help");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().startsWith("Usage: rnnkit evaluate "), o.out());
    }
}
