using NUnit.Framework;
namespace BpfTests;
public class SmokeTests
{
    [Test]
    public void ProgsAreBuilt() => Assert.That(File.Exists(Path.Combine(AppContext.BaseDirectory, "progs", "minimal.bpf.o")));
}
