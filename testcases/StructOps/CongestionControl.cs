using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BpfTests.StructOps;

/// <summary>The kernel's view of registered TCP congestion control algorithms, and a real connection that uses one.</summary>
internal static class CongestionControl
{
    private const int IpProtoTcp = 6, TcpCongestion = 13;

    public static string[] Available()
        => File.ReadAllText("/proc/sys/net/ipv4/tcp_available_congestion_control").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static bool IsRegistered(string name) => Available().Contains(name);

    /// <summary>Connects a TCP socket over loopback using <paramref name="algorithm"/>; returns what the socket reports.</summary>
    public static string ConnectUsing(string algorithm)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.SetRawSocketOption(IpProtoTcp, TcpCongestion, Encoding.ASCII.GetBytes(algorithm));
        client.Connect((IPEndPoint)listener.LocalEndpoint);
        using var server = listener.AcceptSocket();
        client.Send([1, 2, 3]);
        var buffer = new byte[3];
        server.Receive(buffer);
        var name = new byte[16];
        int len = client.GetRawSocketOption(IpProtoTcp, TcpCongestion, name);
        return Encoding.ASCII.GetString(name, 0, len).TrimEnd('\0');
    }
}
