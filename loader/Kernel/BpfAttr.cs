using System.Runtime.InteropServices;

namespace BpfLoader.Kernel;

// Members of `union bpf_attr` (include/uapi/linux/bpf.h), one struct per command group, laid out at the
// kernel's offsets. Each is passed with its own size; older kernels accept a larger attr as long as the
// bytes they do not know are zero, so unused newer fields must stay zero.

[StructLayout(LayoutKind.Explicit, Size = 80)]
internal unsafe struct MapCreateAttr
{
    [FieldOffset(0)] public uint MapType;
    [FieldOffset(4)] public uint KeySize;
    [FieldOffset(8)] public uint ValueSize;
    [FieldOffset(12)] public uint MaxEntries;
    [FieldOffset(16)] public uint MapFlags;
    [FieldOffset(20)] public uint InnerMapFd;
    [FieldOffset(24)] public uint NumaNode;
    [FieldOffset(28)] public fixed byte MapName[16];
    [FieldOffset(44)] public uint MapIfindex;
    [FieldOffset(48)] public uint BtfFd;
    [FieldOffset(52)] public uint BtfKeyTypeId;
    [FieldOffset(56)] public uint BtfValueTypeId;
    [FieldOffset(60)] public uint BtfVmlinuxValueTypeId;
    [FieldOffset(64)] public ulong MapExtra;
    [FieldOffset(72)] public int ValueTypeBtfObjFd;
    [FieldOffset(76)] public int MapTokenFd;
}

[StructLayout(LayoutKind.Explicit, Size = 32)]
internal struct MapElemAttr
{
    [FieldOffset(0)] public uint MapFd;
    [FieldOffset(8)] public ulong Key;
    [FieldOffset(16)] public ulong ValueOrNextKey;
    [FieldOffset(24)] public ulong Flags;
}

[StructLayout(LayoutKind.Explicit, Size = 152)]
internal unsafe struct ProgLoadAttr
{
    [FieldOffset(0)] public uint ProgType;
    [FieldOffset(4)] public uint InsnCnt;
    [FieldOffset(8)] public ulong Insns;
    [FieldOffset(16)] public ulong License;
    [FieldOffset(24)] public uint LogLevel;
    [FieldOffset(28)] public uint LogSize;
    [FieldOffset(32)] public ulong LogBuf;
    [FieldOffset(40)] public uint KernVersion;
    [FieldOffset(44)] public uint ProgFlags;
    [FieldOffset(48)] public fixed byte ProgName[16];
    [FieldOffset(64)] public uint ProgIfindex;
    [FieldOffset(68)] public uint ExpectedAttachType;
    [FieldOffset(72)] public uint ProgBtfFd;
    [FieldOffset(76)] public uint FuncInfoRecSize;
    [FieldOffset(80)] public ulong FuncInfo;
    [FieldOffset(88)] public uint FuncInfoCnt;
    [FieldOffset(92)] public uint LineInfoRecSize;
    [FieldOffset(96)] public ulong LineInfo;
    [FieldOffset(104)] public uint LineInfoCnt;
    [FieldOffset(108)] public uint AttachBtfId;
    [FieldOffset(112)] public uint AttachBtfObjFd;
    [FieldOffset(116)] public uint CoreReloCnt;
    [FieldOffset(120)] public ulong FdArray;
    [FieldOffset(128)] public ulong CoreRelos;
    [FieldOffset(136)] public uint CoreReloRecSize;
    [FieldOffset(140)] public uint LogTrueSize;
    [FieldOffset(144)] public int ProgTokenFd;
    [FieldOffset(148)] public uint FdArrayCnt;
}

[StructLayout(LayoutKind.Explicit, Size = 24)]
internal struct ObjPinAttr
{
    [FieldOffset(0)] public ulong Pathname;
    [FieldOffset(8)] public uint BpfFd;
    [FieldOffset(12)] public uint FileFlags;
    [FieldOffset(16)] public int PathFd;
}

[StructLayout(LayoutKind.Explicit, Size = 80)]
internal struct ProgTestRunAttr
{
    [FieldOffset(0)] public uint ProgFd;
    [FieldOffset(4)] public uint Retval;
    [FieldOffset(8)] public uint DataSizeIn;
    [FieldOffset(12)] public uint DataSizeOut;
    [FieldOffset(16)] public ulong DataIn;
    [FieldOffset(24)] public ulong DataOut;
    [FieldOffset(32)] public uint Repeat;
    [FieldOffset(36)] public uint Duration;
    [FieldOffset(40)] public uint CtxSizeIn;
    [FieldOffset(44)] public uint CtxSizeOut;
    [FieldOffset(48)] public ulong CtxIn;
    [FieldOffset(56)] public ulong CtxOut;
    [FieldOffset(64)] public uint Flags;
    [FieldOffset(68)] public uint Cpu;
    [FieldOffset(72)] public uint BatchSize;
}

/// <summary>The id/fd lookups: GET_NEXT_ID, GET_FD_BY_ID.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
internal struct GetIdAttr
{
    [FieldOffset(0)] public uint StartOrObjId;
    [FieldOffset(4)] public uint NextId;
    [FieldOffset(8)] public uint OpenFlags;
}

[StructLayout(LayoutKind.Explicit, Size = 16)]
internal struct InfoByFdAttr
{
    [FieldOffset(0)] public uint BpfFd;
    [FieldOffset(4)] public uint InfoLen;
    [FieldOffset(8)] public ulong Info;
}

[StructLayout(LayoutKind.Explicit, Size = 24)]
internal struct RawTracepointOpenAttr
{
    [FieldOffset(0)] public ulong Name;
    [FieldOffset(8)] public uint ProgFd;
    [FieldOffset(16)] public ulong Cookie;
}

[StructLayout(LayoutKind.Explicit, Size = 40)]
internal struct BtfLoadAttr
{
    [FieldOffset(0)] public ulong Btf;
    [FieldOffset(8)] public ulong BtfLogBuf;
    [FieldOffset(16)] public uint BtfSize;
    [FieldOffset(20)] public uint BtfLogSize;
    [FieldOffset(24)] public uint BtfLogLevel;
    [FieldOffset(28)] public uint BtfLogTrueSize;
    [FieldOffset(32)] public uint BtfFlags;
    [FieldOffset(36)] public int BtfTokenFd;
}

[StructLayout(LayoutKind.Explicit, Size = 64)]
internal struct LinkCreateAttr
{
    [FieldOffset(0)] public uint ProgOrMapFd;
    [FieldOffset(4)] public uint TargetFd;
    [FieldOffset(8)] public uint AttachType;
    [FieldOffset(12)] public uint Flags;
    /// <summary>target_btf_id, or the first word of the per-type union (iter_info, perf_event.bpf_cookie, ...).</summary>
    [FieldOffset(16)] public ulong Union0;
    [FieldOffset(24)] public ulong Union1;
    [FieldOffset(32)] public ulong Union2;
    [FieldOffset(40)] public ulong Union3;
}

[StructLayout(LayoutKind.Explicit, Size = 16)]
internal struct LinkUpdateAttr
{
    [FieldOffset(0)] public uint LinkFd;
    [FieldOffset(4)] public uint NewProgOrMapFd;
    [FieldOffset(8)] public uint Flags;
    [FieldOffset(12)] public uint OldProgOrMapFd;
}

[StructLayout(LayoutKind.Explicit, Size = 8)]
internal struct FdOnlyAttr
{
    [FieldOffset(0)] public uint Fd;
    [FieldOffset(4)] public uint Flags;
}

[StructLayout(LayoutKind.Explicit, Size = 12)]
internal struct ProgBindMapAttr
{
    [FieldOffset(0)] public uint ProgFd;
    [FieldOffset(4)] public uint MapFd;
    [FieldOffset(8)] public uint Flags;
}
