package io.goatflow.itests;

import org.junit.ClassRule;
import org.junit.runner.RunWith;
import org.junit.runners.Suite;

/**
 * The web console in a real browser: Debian's Chromium, headless, driven by Selenium, against the built
 * distribution started as users start it (embedded H2), once for all of these classes. Screenshots go to
 * target/screenshots.
 */
@RunWith(Suite.class)
@Suite.SuiteClasses({ConsoleFlows.class, ConsoleCustomFields.class, ConsoleLanguages.class, ConsoleAccessibility.class, ConsoleXss.class,
        ConsoleSecurity.class, ConsolePasskeys.class, ConsoleOrganisations.class})
public class ConsoleBrowserIT {
    @ClassRule
    public static final ConsoleServer SERVER = new ConsoleServer();
}
