using System.Diagnostics;
using System.Net.Sockets;
using Gateway.Operator.Builders;
using Gateway.TestSupport;

namespace Gateway.Operator.Tests.Builders;

/// <summary>The managed Redis's container command, run for real with this machine's sh and redis-server.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class RedisStartTests : IDisposable
{
    const string Password = "0f3c9a5e7b1d";
    readonly DirectoryInfo bin = Directory.CreateTempSubdirectory("tollgate-redis-start-");

    public void Dispose() => bin.Delete(recursive: true);

    [Fact]
    public async Task The_container_command_makes_redis_require_the_secrets_password_without_it_on_any_command_line()
    {
        var container = Assert.Single(RedisBuilder.Deployment(Gateways.New()).Spec.Template.Spec.Containers);
        var variable = Assert.Single(container.Env!).Name;
        var port = FreePort.Next();
        // A redis-server first on PATH that notes its arguments and moves the server to a free loopback port;
        // the command is run as built.
        var wrapper = Path.Combine(bin.FullName, "redis-server");
        var arguments = Path.Combine(bin.FullName, "arguments");
        File.WriteAllText(wrapper, $"#!/bin/sh\nprintf '%s\\n' \"$@\" > {arguments}\nexec {RealRedisServer()} \"$@\" --port {port} --bind 127.0.0.1\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var start = new ProcessStartInfo(container.Command![0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in container.Command.Skip(1).Concat(container.Args ?? []))
            start.ArgumentList.Add(argument);
        start.Environment["PATH"] = $"{bin.FullName}:{Environment.GetEnvironmentVariable("PATH")}";
        start.Environment[variable] = Password;
        using var redis = Process.Start(start)!;
        try
        {
            var first = await ConnectAsync(port, redis);
            using (first.Client)
                Assert.StartsWith("-NOAUTH", await first.SendAsync("PING"));

            var (client, send) = await ConnectAsync(port, redis);
            using (client)
            {
                Assert.Equal("+OK", await send($"AUTH {Password}"));
                Assert.Equal("+PONG", await send("PING"));
            }
            // The configuration came on standard input ("-"); no argument held the password.
            var given = File.ReadAllLines(arguments);
            Assert.Equal("-", given[0]);
            Assert.DoesNotContain(given, argument => argument.Contains(Password, StringComparison.Ordinal));
        }
        finally
        {
            redis.Kill(entireProcessTree: true);
            await redis.WaitForExitAsync();
        }
    }

    static string RealRedisServer() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/bin").Append("/usr/sbin")
            .Select(directory => Path.Combine(directory, "redis-server")).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("redis-server was not found; install it with: apt-get install redis-server");

    // One connection speaking Redis's inline command form; each answer is its first line.
    static async Task<(TcpClient Client, Func<string, Task<string>> SendAsync)> ConnectAsync(int port, Process redis)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var client = new TcpClient();
            try
            {
                await client.ConnectAsync("127.0.0.1", port);
                var stream = client.GetStream();
                var reader = new StreamReader(stream);
                var writer = new StreamWriter(stream) { NewLine = "\r\n", AutoFlush = true };
                return (client, async command =>
                {
                    await writer.WriteLineAsync(command);
                    return await reader.ReadLineAsync() ?? "";
                });
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !redis.HasExited)
            {
                client.Dispose();
                await Task.Delay(20);
            }
        }
    }
}
