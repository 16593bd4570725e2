namespace BpfLoader.Maps;

/// <summary>One member of a struct_ops map's local type, as the shadow exposes it.</summary>
/// <param name="Index">Position in the local struct.</param>
/// <param name="Offset">Byte offset in the map's local data.</param>
/// <param name="Size">Byte size (8 for function pointers).</param>
/// <param name="IsFunctionPointer">A program slot rather than a scalar.</param>
public sealed record StructOpsMember(int Index, string Name, int Offset, int Size, bool IsFunctionPointer, bool IsBitfield, int TypeId);
