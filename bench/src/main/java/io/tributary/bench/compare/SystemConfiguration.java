package io.tributary.bench.compare;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** A value of the system's configuration as {@code getconf NAME} prints it, or a fallback when that fails. */
final class SystemConfiguration {
    private SystemConfiguration() {
    }

    static long getconf(String name, long fallback) {
        try {
            Process getconf = new ProcessBuilder("getconf", name).redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes()).trim();
            if (getconf.waitFor(5, TimeUnit.SECONDS) && getconf.exitValue() == 0) {
                return Long.parseLong(out);
            }
        } catch (IOException | NumberFormatException e) {
            // fall through to the fallback
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return fallback;
    }
}
