using System.Text;
using Gateway.Proxy.Proxying;

namespace Gateway.Proxy.Tests.Proxying;

public class ReplayableBodyTests
{
    private static async Task<string> ReadAllAsync(Stream stream, int chunk = 3)
    {
        var result = new MemoryStream();
        var buffer = new byte[chunk];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0) result.Write(buffer, 0, read);
        return Encoding.ASCII.GetString(result.ToArray());
    }

    [Fact]
    public async Task A_body_read_whole_is_sent_again_whole()
    {
        using var body = new ReplayableBody(new MemoryStream("0123456789"u8.ToArray()), keepAtMost: 100);

        Assert.Equal("0123456789", await ReadAllAsync(body));
        Assert.True(body.CanReplay);
        body.Rewind();
        Assert.Equal("0123456789", await ReadAllAsync(body, chunk: 4));
    }

    [Fact]
    public async Task A_body_read_in_part_is_sent_again_from_its_start_then_read_on()
    {
        using var body = new ReplayableBody(new MemoryStream("0123456789"u8.ToArray()), keepAtMost: 100);
        var first = new byte[4];
        await body.ReadExactlyAsync(first);

        body.Rewind();

        Assert.Equal("0123456789", await ReadAllAsync(body));
    }

    [Fact]
    public async Task A_body_longer_than_what_is_kept_cannot_be_sent_again()
    {
        using var body = new ReplayableBody(new MemoryStream("0123456789"u8.ToArray()), keepAtMost: 5);

        Assert.Equal("0123456789", await ReadAllAsync(body));

        Assert.False(body.CanReplay);
    }

    [Fact]
    public async Task A_body_nothing_is_kept_of_can_be_sent_again_only_while_unread()
    {
        using var body = new ReplayableBody(new MemoryStream("abc"u8.ToArray()), keepAtMost: 0);
        Assert.True(body.CanReplay);

        await ReadAllAsync(body);

        Assert.False(body.CanReplay);
    }

    [Fact]
    public async Task An_empty_body_can_always_be_sent_again()
    {
        using var body = new ReplayableBody(new MemoryStream(), keepAtMost: 0);

        Assert.Equal("", await ReadAllAsync(body));

        Assert.True(body.CanReplay);
    }
}
