package dev.robustlab.cli.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private long now;

    @Test
    void plainLinesWithTheTimeLeftAtThisSessionsPace() {
        StringWriter text = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(text), false, () -> now);
        // 40 examples restored from a state file: the pace counts only what this session does
        bar.update(40, 100, 0.5);
        now = 30_000_000_000L;
        bar.update(70, 100, 0.4);
        now = 60_000_000_000L;
        bar.update(100, 100, 0.45);
        assertEquals(List.of(
                "[#########---------------] 40/100 examples  robust so far  50.0%  ETA --:--",
                "[################--------] 70/100 examples  robust so far  40.0%  ETA 0:30",
                "[########################] 100/100 examples  robust so far  45.0%  done in 1:00"),
                text.toString().lines().toList());
    }

    @Test
    void onATerminalOneLineRedrawnInPlace() {
        StringWriter text = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(text), true, () -> now);
        bar.update(0, 10, 0);
        now = 4_000_000_000_000L;
        bar.update(10, 10, 0.3);
        String out = text.toString();
        assertEquals(2, out.split("\r", -1).length - 1, "two redraws");
        assertEquals(out.length() - 1, out.indexOf('\n'), "a single line, ended when done: " + out);
        assertEquals("1:06:40", ProgressBar.duration(4000));
    }
}
