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

/// <summary>
/// The guest cannot write the host's root: what the guest writes through the root share, virtiofsd writes, and
/// virtiofsd serves a read-only bind of / made in a mount namespace of its own. Checked on the real virtiofsd
/// with a write attempted from inside that namespace (the guest's only path to the host root).
/// </summary>
[NonParallelizable]
public class RootShareTests
{
    [Test]
    public async Task TheRootShareIsReadOnlyForVirtiofsd()
    {
        if (Environment.UserName != "root") Assert.Ignore("virtiofsd and nsenter need root");
        if (!File.Exists(QemuInstall.Virtiofsd)) Assert.Ignore($"{QemuInstall.Virtiofsd} is not installed (./run.sh setup)");
        var runDir = Path.Combine(Path.GetTempPath(), $"vmtest-rootshare-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(runDir);
        var probe = $"/tmp/vmtest-rootshare-probe-{Guid.NewGuid():N}";
        try
        {
            await using (var share = await VirtiofsShare.StartRootAsync(QemuInstall.Virtiofsd, runDir, CancellationToken.None))
            {
                var bind = Path.Combine(runDir, "rootfs");
                var mountInfo = await File.ReadAllLinesAsync($"/proc/{share.ProcessId}/mountinfo");
                var exported = mountInfo.Select(l => l.Split(' ')).FirstOrDefault(f => f.Length > 5 && f[4] == bind);
                Assert.That(exported, Is.Not.Null, $"virtiofsd's namespace has no mount at {bind}");
                Assert.That(exported![5].Split(','), Does.Contain("ro"), "the exported root is mounted read-only");

                var psi = new System.Diagnostics.ProcessStartInfo("nsenter", ["-t", share.ProcessId.ToString(), "-m", "--", "touch", bind + probe])
                    { RedirectStandardError = true };
                using var touch = System.Diagnostics.Process.Start(psi)!;
                string err = await touch.StandardError.ReadToEndAsync();
                await touch.WaitForExitAsync();
                Assert.That(touch.ExitCode, Is.Not.EqualTo(0), "a write through the export must fail");
                Assert.That(err, Does.Contain("Read-only file system"));
            }
            Assert.That(File.Exists(probe), Is.False, "nothing reached the host root");
        }
        finally
        {
            File.Delete(probe);
            Directory.Delete(runDir, recursive: true);
        }
    }
}
