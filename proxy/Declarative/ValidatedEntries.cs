using Gateway.Proxy.Entities;

namespace Gateway.Proxy.Declarative;

/// <summary>
/// The entities the entries of the last document posted to one Admin API validated into, by kind and entry text, so
/// that a document posted again with a few changes (the operator posts its whole scope on every change) validates only
/// the entries that changed. Validation is a function of an entry's kind and text alone (but for a password's random
/// salt, and keeping the first hash is what the stored-password rule wants), so an entry of the same text is the same
/// entity; only the timestamps the parser fills in are set afresh. Only the last document's entries are kept, so the
/// memory is that of one document's entities; entries that failed are never kept.
/// </summary>
public sealed class ValidatedEntries
{
    private Dictionary<(string Kind, string Text), Entity> _last = [];

    internal Dictionary<(string Kind, string Text), Entity> Last => Volatile.Read(ref _last);

    internal void Replace(Dictionary<(string Kind, string Text), Entity> entries) => Volatile.Write(ref _last, entries);
}
