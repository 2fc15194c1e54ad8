using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TieredKv.Benchmarks.RdbBench;

/// <summary>
/// Times how long a real redis-server takes to load an RDB file: start it on the file with persistence
/// otherwise off, and send PING until it answers PONG (it replies -LOADING until the file is in).
/// Returns null when redis-server is not installed.
/// </summary>
public static class RedisLoadTimer
{
    public static (TimeSpan Load, long Keys)? Time(string rdbFile)
    {
        int port = FreePort();
        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string a in new[]
                 {
                     "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--dir", Path.GetDirectoryName(Path.GetFullPath(rdbFile))!, "--dbfilename", Path.GetFileName(rdbFile),
                     "--save", "", "--appendonly", "no", "--daemonize", "no",
                 })
            start.ArgumentList.Add(a);
        Process process;
        var clock = Stopwatch.StartNew();
        try { process = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception) { return null; }
        using (process)
        {
            process.OutputDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                while (true)
                {
                    if (process.HasExited) throw new InvalidOperationException($"redis-server exited with {process.ExitCode} while loading {rdbFile}");
                    string? reply = TryCall(port, "PING");
                    if (reply == "+PONG") break;
                    Thread.Sleep(5);
                }
                TimeSpan load = clock.Elapsed;
                string dbsize = TryCall(port, "DBSIZE") ?? ":-1";
                return (load, long.Parse(dbsize.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture));
            }
            finally
            {
                process.Kill();
                process.WaitForExit();
            }
        }
    }

    private static string? TryCall(int port, string command)
    {
        try
        {
            using var tcp = new TcpClient();
            tcp.Connect(IPAddress.Loopback, port);
            using var stream = tcp.GetStream();
            stream.Write(Encoding.ASCII.GetBytes(command + "\r\n"));
            using var reader = new StreamReader(stream, Encoding.ASCII);
            return reader.ReadLine();
        }
        catch (SocketException)
        {
            return null;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
