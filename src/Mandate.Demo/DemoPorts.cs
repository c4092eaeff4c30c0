using System.Net;
using System.Net.Sockets;

namespace Mandate.Demo;

/// <summary>Whether a loopback port can be listened on, asked before the demo starts anything.</summary>
public static class DemoPorts
{
    /// <summary>True when 127.0.0.1:<paramref name="port"/> can be bound right now.</summary>
    /// <remarks>Another program may take the port between this answer and the gateway's bind; the gateway then
    /// still refuses with its own problem, so this only makes the common case plain and early.</remarks>
    public static bool IsFree(int port)
    {
        try
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>A port on 127.0.0.1 that was free a moment ago (the kernel's choice).</summary>
    public static int PickFree()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
