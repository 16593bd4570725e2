namespace BpfLoader;
internal static class Placeholder { }
