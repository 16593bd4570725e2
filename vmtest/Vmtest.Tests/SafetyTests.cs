using BpfTests.Vmtest.Boot;
using BpfTests.Vmtest.Provision;
using BpfTests.Vmtest.Results;
using NUnit.Framework;

namespace BpfTests.Vmtest.Tests;

/// <summary>
/// Issue 17's vmtest safety, pure parts: a corrupted cached download is detected by its checksum (and fetched
/// again by <c>AptSource.DownloadAsync</c>); a QEMU killed from outside and a guest that could not write its
/// results (a full disk under the work share) are red verdicts that say why.
/// </summary>
public class SafetyTests
{
    private string _dir = null!;

    [SetUp]
    public void MakeDir() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), $"vmtest-safety-{Environment.ProcessId}-{Guid.NewGuid():N}"));

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void ACorruptedCachedDebIsDetectedByItsChecksumAndDiscarded()
    {
        var deb = Path.Combine(_dir, "linux-image_6.12.1-1_amd64.deb");
        File.WriteAllBytes(deb, Enumerable.Range(0, 4096).Select(i => (byte)i).ToArray());
        DebChecksums.Record(deb);
        Assert.That(DebChecksums.Check(deb), Is.EqualTo(DebChecksums.State.Intact));

        using (var f = File.OpenWrite(deb)) { f.Position = 1000; f.WriteByte(0xff); }
        Assert.That(DebChecksums.Check(deb), Is.EqualTo(DebChecksums.State.Corrupt), "one flipped byte");

        File.WriteAllBytes(deb, new byte[10]);
        Assert.That(DebChecksums.Check(deb), Is.EqualTo(DebChecksums.State.Corrupt), "a truncated copy");

        DebChecksums.Discard(deb);
        Assert.That(File.Exists(deb) || File.Exists(DebChecksums.RecordPath(deb)), Is.False, "discarded, so it is downloaded again");
    }

    [Test]
    public void ADebCachedBeforeChecksumsGetsItsRecordOnFirstUse()
    {
        var deb = Path.Combine(_dir, "qemu-system-x86_1_amd64.deb");
        File.WriteAllBytes(deb, [1, 2, 3]);
        Assert.That(DebChecksums.Check(deb), Is.EqualTo(DebChecksums.State.Recorded));
        Assert.That(DebChecksums.Check(deb), Is.EqualTo(DebChecksums.State.Intact));
    }

    private static readonly GuestStatus Clean = new(["started", "run:0", "shutdown:clean"]);
    private static readonly TrxSummary OneTest = new(1, 1, 0, 0, []);
    private static readonly VmExit Ok = new(0, false, null, TimeSpan.FromSeconds(5));

    [Test]
    public void AQemuKilledFromOutsideIsRedWithTheSignal()
    {
        var v = Verdict.Judge(Ok with { QemuExitCode = 137 }, new GuestStatus(["started"]), null, "no tests.trx", [], null);
        Assert.That(v.Passed, Is.False);
        Assert.That(v.Problems, Has.Some.Contains("killed by signal 9 (SIGKILL"));
        Assert.That(Verdict.Judge(Ok with { QemuExitCode = 143 }, Clean, OneTest, null, [], null).Problems, Has.Some.Contains("killed by signal 15"));
    }

    [Test]
    public void AGuestThatCouldNotWriteItsResultsIsRed()
    {
        // A full disk under the work share: the status file stops after "started" (or is empty) and no TRX exists.
        var truncated = Verdict.Judge(Ok, new GuestStatus(["started"]), null, "tests.trx is missing", [], null);
        Assert.That(truncated.Passed, Is.False);
        Assert.That(truncated.Problems, Has.Some.Contains("shutdown:clean"));
        Assert.That(truncated.Problems, Has.Some.Contains("no test results"));
        Assert.That(Verdict.Judge(Ok, new GuestStatus([]), OneTest, null, [], null).Passed, Is.False, "an empty status file");
    }
}
