using NUnit.Framework;

/// <summary>Runs around the whole test assembly (outside any namespace): stale scratch folders go first, this run's goes last.</summary>
[SetUpFixture]
public sealed class BtfTempFilesFixture
{
    [OneTimeSetUp]
    public void RemoveOrphans() => BpfTests.Btf.BtfTempFiles.RemoveOrphans();

    [OneTimeTearDown]
    public void RemoveOwn() => BpfTests.Btf.BtfTempFiles.RemoveOwn();
}
