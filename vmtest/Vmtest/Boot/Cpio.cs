using System.IO.Compression;
using System.Text;

namespace BpfTests.Vmtest.Boot;

/// <summary>A gzip-compressed cpio "newc" archive, the format the kernel unpacks as initramfs.</summary>
internal sealed class CpioWriter : IDisposable
{
    private readonly Stream _out;
    private uint _ino = 1;

    public CpioWriter(string path) => _out = new GZipStream(System.IO.File.Create(path), CompressionLevel.Fastest);

    public void Directory(string name) => Entry(name, 0x4000 | 0b111_101_101, []);
    public void File(string name, byte[] data, bool executable = false) => Entry(name, 0x8000 | (executable ? 0b111_101_101u : 0b110_100_100u), data);

    private void Entry(string name, uint mode, byte[] data)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name + "\0");
        var header = $"070701{_ino++:X8}{mode:X8}{0:X8}{0:X8}{1:X8}{0:X8}{data.Length:X8}{0:X8}{0:X8}{0:X8}{0:X8}{nameBytes.Length:X8}{0:X8}";
        Write(Encoding.ASCII.GetBytes(header));
        Write(nameBytes);
        Pad(110 + nameBytes.Length);
        Write(data);
        Pad(data.Length);
    }

    private void Write(byte[] b) => _out.Write(b);
    private void Pad(long length) { for (var i = length; i % 4 != 0; i++) _out.WriteByte(0); }

    public void Dispose()
    {
        Entry("TRAILER!!!", 0, []);
        _out.Dispose();
    }
}
