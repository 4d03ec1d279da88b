using System.Buffers;
using Gateway.Proxy.Streams;

namespace Gateway.Proxy.Proxying;

/// <summary>
/// A request body that can be sent to the upstream again after a failed try. What the upstream has read of it is kept
/// (in pooled memory, up to a limit) so that a retry starts with those bytes and then reads on from the client. A body
/// longer than the limit, or one whose bytes are not kept at all (a request that may not be retried once sent), can be
/// sent again only while nothing of it was read.
/// </summary>
public sealed class ReplayableBody(Stream client, int keepAtMost) : ReadOnlyStream
{
    private byte[]? _kept;
    private int _keptLength;
    private int _position;
    private bool _read;
    private bool _overflowed;

    /// <summary>Whether the next try can send the whole body as the client sent it.</summary>
    public bool CanReplay => !_read || !_overflowed;

    /// <summary>Starts the body again from its first byte, for the next try.</summary>
    public void Rewind() => _position = 0;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty) return 0;
        if (_position < _keptLength) return Replay(buffer.Span);
        var count = await client.ReadAsync(buffer, cancellationToken);
        Keep(buffer.Span[..count]);
        return count;
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty) return 0;
        if (_position < _keptLength) return Replay(buffer);
        var count = client.Read(buffer);
        Keep(buffer[..count]);
        return count;
    }

    private int Replay(Span<byte> destination)
    {
        var count = Math.Min(destination.Length, _keptLength - _position);
        _kept.AsSpan(_position, count).CopyTo(destination);
        _position += count;
        return count;
    }

    private void Keep(ReadOnlySpan<byte> read)
    {
        _read = true;
        _position += read.Length;
        if (_overflowed || read.IsEmpty) return;
        if (_keptLength + read.Length > keepAtMost)
        {
            _overflowed = true;
            Release();
            return;
        }
        if (_kept is null || _kept.Length < _keptLength + read.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_keptLength + read.Length, Math.Min(keepAtMost, 2 * (_kept?.Length ?? 4096))));
            _kept.AsSpan(0, _keptLength).CopyTo(larger);
            Release();
            _kept = larger;
        }
        read.CopyTo(_kept.AsSpan(_keptLength));
        _keptLength += read.Length;
    }

    private void Release()
    {
        if (_kept is not null) ArrayPool<byte>.Shared.Return(_kept);
        _kept = null;
        _keptLength = _overflowed ? 0 : _keptLength;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _overflowed = true;
            Release();
        }
        base.Dispose(disposing);
    }
}
