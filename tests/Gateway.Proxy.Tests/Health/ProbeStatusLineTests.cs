using System.Text;
using Gateway.Proxy.Health;

namespace Gateway.Proxy.Tests.Health;

public class ProbeStatusLineTests
{
    [Theory]
    [InlineData("HTTP/1.1 200 OK\r", 200)]
    [InlineData("HTTP/1.0 503 Service Unavailable", 503)]
    [InlineData("HTTP/2.0 302", 302)]
    [InlineData("HTTP/1.1\t404 Not Found", 404)]
    [InlineData("HTTP/1.1 999 Odd", 999)]
    [InlineData("HTTP/1.1 2000 OK", 2000)]
    [InlineData("HTTP/1.1 20 OK", 20)]
    public void Reads_the_code_of_a_status_line(string line, int code)
    {
        Assert.Equal(code, ProbeStatusLine.Parse(Encoding.ASCII.GetBytes(line)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("SSH-2.0-OpenSSH_9.2")]
    [InlineData("HTTP/1.1200 OK")]
    [InlineData("HTTP/1.1 OK")]
    [InlineData("HTTP/x.1 200 OK")]
    [InlineData("http/1.1 200 OK")]
    public void Anything_else_is_zero(string line)
    {
        Assert.Equal(0, ProbeStatusLine.Parse(Encoding.ASCII.GetBytes(line)));
    }

    [Fact]
    public async Task Reads_up_to_the_first_line_feed_even_across_reads()
    {
        var stream = new MemoryStream(Encoding.ASCII.GetBytes("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"));

        Assert.Equal(201, await ProbeStatusLine.ReadAsync(new TrickleStream(stream), CancellationToken.None));
    }

    [Fact]
    public async Task A_connection_closed_before_the_line_ends_is_an_io_failure()
    {
        var stream = new MemoryStream(Encoding.ASCII.GetBytes("HTTP/1.1 200"));

        await Assert.ThrowsAsync<IOException>(() => ProbeStatusLine.ReadAsync(stream, CancellationToken.None));
    }

    [Fact]
    public async Task An_endless_line_is_an_io_failure()
    {
        var stream = new MemoryStream(new byte[ProbeStatusLine.MaxLength + 10]);

        await Assert.ThrowsAsync<IOException>(() => ProbeStatusLine.ReadAsync(stream, CancellationToken.None));
    }

    /// <summary>Hands out at most three bytes per read.</summary>
    private sealed class TrickleStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, 3));
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
