using BpfTests.Vmtest.Run;
using NUnit.Framework;

namespace BpfTests.Vmtest.Tests;

/// <summary>The guest command for <c>vmtest run --assembly PATH</c>: a user's own test assembly instead of this repository's suite.</summary>
public class TestCommandTests
{
    [Test]
    public void AnAssemblyRunsUnderDotnetTestInPlaceOfTheSuite()
    {
        const string sample = "/src/samples/PacketCounter/bin/Release/net10.0/PacketCounter.Tests.dll";
        var command = TestCommand.For(TestMode.DotnetTest, "/src", "/out/results", filter: null, shell: null, assembly: sample);
        Assert.That(command, Does.StartWith($"dotnet test '{sample}' --results-directory '/out/results'"));
        Assert.That(command, Does.Not.Contain("BpfTests.dll"));
        Assert.That(TestCommand.Prerequisite(TestMode.DotnetTest, "/src", sample), Is.EqualTo(sample));
    }

    [Test]
    public void WithoutAnAssemblyDotnetTestRunsTheRepositorySuite()
    {
        var command = TestCommand.For(TestMode.DotnetTest, "/src", "/out/results", filter: "Name~X", shell: null);
        Assert.That(command, Does.Contain("'/src/testcases/bin/Release/net10.0/BpfTests.dll'"));
        Assert.That(command, Does.EndWith("--filter 'Name~X'"));
        Assert.That(TestCommand.Prerequisite(TestMode.DotnetTest, "/src"), Is.EqualTo(TestCommand.TestAssembly("/src")));
    }
}
