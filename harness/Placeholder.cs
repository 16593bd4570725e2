namespace BpfHarness;
internal static class Placeholder { }
