namespace BpfLoader.Kernel;

/// <summary><c>enum bpf_cmd</c>: the first argument of bpf(2).</summary>
internal enum BpfCommand
{
    MapCreate = 0,
    MapLookupElem = 1,
    MapUpdateElem = 2,
    MapDeleteElem = 3,
    MapGetNextKey = 4,
    ProgLoad = 5,
    ObjPin = 6,
    ObjGet = 7,
    ProgAttach = 8,
    ProgDetach = 9,
    ProgTestRun = 10,
    ProgGetNextId = 11,
    MapGetNextId = 12,
    ProgGetFdById = 13,
    MapGetFdById = 14,
    ObjGetInfoByFd = 15,
    ProgQuery = 16,
    RawTracepointOpen = 17,
    BtfLoad = 18,
    BtfGetFdById = 19,
    TaskFdQuery = 20,
    MapLookupAndDeleteElem = 21,
    MapFreeze = 22,
    BtfGetNextId = 23,
    LinkCreate = 28,
    LinkUpdate = 29,
    LinkGetFdById = 30,
    LinkGetNextId = 31,
    EnableStats = 32,
    IterCreate = 33,
    LinkDetach = 34,
    ProgBindMap = 35,
}

/// <summary>Flags of map creation and element updates.</summary>
public static class BpfFlags
{
    public const uint NoPrealloc = 1 << 0, NoCommonLru = 1 << 1, NumaNode = 1 << 2, RdOnly = 1 << 3, WrOnly = 1 << 4,
        StackBuildId = 1 << 5, ZeroSeed = 1 << 6, RdOnlyProg = 1 << 7, WrOnlyProg = 1 << 8, Clone = 1 << 9,
        Mmapable = 1 << 10, PreserveElems = 1 << 11, InnerMap = 1 << 12, Link = 1 << 13, PathFd = 1 << 14,
        VtypeBtfObjFd = 1 << 15, TokenFd = 1 << 16, SegvOnFault = 1 << 17, NoUserConv = 1 << 18;

    public const ulong Any = 0, NoExist = 1, Exist = 2, Lock = 4;

    /// <summary>Program load flags (<c>BPF_F_*</c> for prog_flags).</summary>
    public const uint StrictAlignment = 1 << 0, AnyAlignment = 1 << 1, TestRnd = 1 << 2, TestStateFreq = 1 << 3,
        Sleepable = 1 << 4, XdpHasFrags = 1 << 5, XdpDevBoundOnly = 1 << 6, TestRegInvariants = 1 << 7;
}
