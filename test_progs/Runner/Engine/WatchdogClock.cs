namespace BpfTests.TestProgs.Engine;

/// <summary>What the watchdog does at a given moment.</summary>
public enum WatchdogAction { None, Notify, Kill }

/// <summary>
/// The watchdog's timer logic (test_progs.md §11), pure: armed when a test starts and re-armed at every
/// subtest start; with notify &gt; 0 the first expiry (after notify seconds) prints the notice and
/// re-arms for kill − notify; the kill expiry ends the test. Kill 0 disables it.
/// </summary>
public static class WatchdogClock
{
    public static WatchdogAction Decide(TimeSpan sinceArmed, int notifySeconds, int killSeconds, bool notified)
    {
        if (killSeconds <= 0)
            return WatchdogAction.None;
        if (!notified && notifySeconds > 0 && sinceArmed >= TimeSpan.FromSeconds(notifySeconds))
            return WatchdogAction.Notify;
        if (sinceArmed >= TimeSpan.FromSeconds(killSeconds))
            return WatchdogAction.Kill;
        return WatchdogAction.None;
    }

    /// <summary>The reported name: <c>test</c> or <c>test/subtest</c>, at most 255 bytes.</summary>
    public static string Name(string test, string? subtest)
    {
        var name = subtest is null ? test : $"{test}/{subtest}";
        return name.Length > 255 ? name[..255] : name;
    }

    public static string NotifyMessage(string name, int seconds) => $"WATCHDOG: test case {name} executes for {seconds} seconds...\n";

    public static string KillMessage(string name, int seconds) =>
        $"WATCHDOG: test case {name} executes for {seconds} seconds, terminating with SIGSEGV\n";
}
