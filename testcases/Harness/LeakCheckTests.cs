using BpfHarness;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Harness;

/// <summary>The fd leak checker as a unit: snapshot, make fds, look for leaks, clean up.</summary>
public class LeakCheckTests
{
    [Test]
    public void A_leaked_bpf_map_is_reported_with_name_id_and_fd()
    {
        var before = LeakCheck.Snapshot();
        int fd = RawSys.CreateArrayMap("counts");
        fd.ShouldBeGreaterThanOrEqualTo(0, "BPF_MAP_CREATE failed (are we root?)");
        try
        {
            var report = LeakCheck.FindLeaks(before);
            report.Leaks.Count.ShouldBe(1);
            report.Leaks[0].Kind.ShouldBe("map");
            report.Leaks[0].IsBpfObject.ShouldBeTrue();
            report.Message.ShouldBe($"leaked BPF objects: map 'counts' (id {RawSys.MapId(fd)}, fd {fd})");
        }
        finally
        {
            RawSys.Close(fd);
        }
        LeakCheck.FindLeaks(before).IsClean.ShouldBeTrue();
    }

    [Test]
    public void A_leaked_memfd_is_reported_as_a_non_bpf_fd()
    {
        var before = LeakCheck.Snapshot();
        int fd = RawSys.MemfdCreate("ringbuf_backing");
        fd.ShouldBeGreaterThanOrEqualTo(0);
        try
        {
            LeakCheck.FindLeaks(before).Message.ShouldBe($"leaked fds: memfd 'ringbuf_backing' (fd {fd})");
        }
        finally
        {
            RawSys.Close(fd);
        }
    }

    [Test]
    public void Bpf_objects_and_other_fds_are_listed_separately()
    {
        var before = LeakCheck.Snapshot();
        int map = RawSys.CreateArrayMap("m1"), mem = RawSys.MemfdCreate("x");
        try
        {
            LeakCheck.FindLeaks(before).Message.ShouldBe(
                $"leaked BPF objects: map 'm1' (id {RawSys.MapId(map)}, fd {map}); leaked fds: memfd 'x' (fd {mem})");
        }
        finally
        {
            RawSys.Close(map);
            RawSys.Close(mem);
        }
    }

    [Test]
    public void Registered_process_wide_fds_are_not_leaks()
    {
        var before = LeakCheck.Snapshot();
        int fd = RawSys.CreateArrayMap("cache");
        LeakCheck.RegisterProcessWide(fd, "test: pretend cached feature-probe map");
        try
        {
            LeakCheck.FindLeaks(before).IsClean.ShouldBeTrue();
        }
        finally
        {
            LeakCheck.UnregisterProcessWide(fd).ShouldBeTrue();
            RawSys.Close(fd);
        }
    }

    [Test]
    public void Fds_listed_by_a_process_wide_source_are_not_leaks()
    {
        var before = LeakCheck.Snapshot();
        int fd = RawSys.CreateArrayMap("probe");
        bool active = true;
        LeakCheck.AddProcessWideSource(() => active ? [fd] : []);
        try
        {
            LeakCheck.FindLeaks(before).IsClean.ShouldBeTrue();
            active = false;
            LeakCheck.FindLeaks(before).Leaks.Single().Fd.ShouldBe(fd);
        }
        finally
        {
            RawSys.Close(fd);
        }
    }

    [Test]
    public void A_closed_and_reused_fd_number_holding_a_new_map_is_a_leak()
    {
        int old = RawSys.CreateArrayMap("old");
        var before = LeakCheck.Snapshot();
        RawSys.Close(old);
        int fresh = RawSys.CreateArrayMap("fresh"); // lowest free number: the same as old
        try
        {
            fresh.ShouldBe(old);
            LeakCheck.FindLeaks(before).Message.ShouldBe($"leaked BPF objects: map 'fresh' (id {RawSys.MapId(fresh)}, fd {fresh})");
        }
        finally
        {
            RawSys.Close(fresh);
        }
    }

    [Test]
    public void Ordinary_files_opened_during_a_test_are_not_reported()
    {
        var before = LeakCheck.Snapshot();
        using var f = File.OpenRead("/proc/self/status");
        LeakCheck.FindLeaks(before).IsClean.ShouldBeTrue();
    }
}
