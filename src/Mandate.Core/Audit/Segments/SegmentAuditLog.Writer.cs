using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;
using Mandate.Core.Audit.Appending;
using Microsoft.Win32.SafeHandles;

namespace Mandate.Core.Audit.Segments;

// The writer thread: batches encoded into one buffer, one write, one fsync when a record asks for it (group commit).
public sealed partial class SegmentAuditLog
{
    // Writer-only state: touched by the writer thread alone, so no locks.
    private readonly AuditRecordWriter _records = new();
    private readonly byte[] _lastHash = new byte[AuditChainHash.Size];
    private AuditReceipt[] _receipts = [];
    private FileStream? _lock;
    private ECDsa? _key;
    private SafeFileHandle? _file;
    private string? _segmentPath;
    private long _fileLength;
    private long _lastSeq;
    private bool _ready;
    private bool _unsynced;
    private long _lastSyncAt = Stopwatch.GetTimestamp();
    private long _lastCheckpointSeq;
    private long _lastCheckpointAt = Stopwatch.GetTimestamp();
    private bool _checkpointFailing;
    private string _openProblem = "";

    // Stands for the success of a posted append, which no one reads (Complete reports only failures for those).
    private static readonly AuditReceipt PostedReceipt = AuditReceipt.Success(0, new byte[AuditChainHash.Size]);

    private void WriteLoop()
    {
        try
        {
            TryOpen();
            _opened.TrySetResult();
            var batch = new List<PendingAppend>(_options.MaxBatch);
            while (true)
            {
                if (!_queue.WaitForWork(IdleWait()))
                {
                    Housekeeping();
                    continue;
                }
                _queue.TakeBatch(batch, _options.MaxBatch);
                if (batch.Count > 0)
                {
                    WriteBatch(batch);
                    _queue.BatchDone();
                    batch.Clear();
                    Housekeeping();
                }
                else if (_queue.IsClosed)
                {
                    break;
                }
            }
            if (_ready && _lastSeq > _lastCheckpointSeq)
            {
                WriteCheckpoint();
            }
            Sync();
        }
        catch (Exception e)
        {
            // Not expected (the batch has its own boundary); the queue fails what is left as closed.
            SegmentLogEvents.Unwritable(_logger, 0, e.Message);
        }
        finally
        {
            _file?.Dispose();
            _lock?.Dispose();
            _key?.Dispose();
            _queue.WriterExited();
            _opened.TrySetResult();
            _writerDone.TrySetResult();
        }
    }

    // How long the writer may sleep: until the next sync of process-crash records or the next timed checkpoint.
    private TimeSpan? IdleWait()
    {
        TimeSpan? wait = null;
        if (_unsynced)
        {
            wait = _options.SyncInterval - Stopwatch.GetElapsedTime(_lastSyncAt);
        }
        if (_ready && _lastSeq > _lastCheckpointSeq)
        {
            var due = _options.CheckpointInterval - Stopwatch.GetElapsedTime(_lastCheckpointAt);
            wait = wait is { } w && w < due ? w : due;
        }
        return wait is { } t ? (t > TimeSpan.Zero ? t : TimeSpan.Zero) : null;
    }

    private void Housekeeping()
    {
        if (_unsynced && Stopwatch.GetElapsedTime(_lastSyncAt) >= _options.SyncInterval)
        {
            Sync();
        }
        if (_ready && _lastSeq > _lastCheckpointSeq
            && (_lastSeq - _lastCheckpointSeq >= _options.CheckpointEvery || Stopwatch.GetElapsedTime(_lastCheckpointAt) >= _options.CheckpointInterval))
        {
            WriteCheckpoint();
        }
    }

    // Opens the log: takes the writer's lock, finds the tail (repairing a torn one), loads the signing key.
    private bool TryOpen()
    {
        if (_ready)
        {
            return true;
        }
        try
        {
            var folder = _options.Folder;
            Directory.CreateDirectory(folder);
            // FileShare.None is an exclusive lock (flock on Unix): a second writer on the same log fails here.
            _lock ??= new FileStream(Path.Combine(folder, SegmentFiles.LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            _key ??= AuditSigningKey.LoadOrCreate(_options.DataDirectory);
            var tail = SegmentTail.Recover(folder);
            if (tail is { SetAside: > 0 })
            {
                SegmentLogEvents.TornTail(_logger, tail.SetAside);
            }
            _file?.Dispose();
            if (tail is null && _lastSeq > 0)
            {
                // Starting a fresh chain silently would hide the loss of the old one.
                throw new IOException($"the audit log in `{folder}` is gone; refusing to start a new chain");
            }
            _file = tail is null ? null : File.OpenHandle(tail.Path, FileMode.Open, FileAccess.Write);
            _segmentPath = tail?.Path;
            _fileLength = tail?.Length ?? 0;
            _lastSeq = tail?.LastSeq ?? 0;
            if (tail is null)
            {
                Array.Clear(_lastHash);
            }
            else
            {
                tail.LastHash.CopyTo(_lastHash, 0);
            }
            _lastCheckpointSeq = 0;
            foreach (var checkpoint in SegmentCheckpoints.Read(folder))
            {
                _lastCheckpointSeq = Math.Max(_lastCheckpointSeq, checkpoint?.Seq ?? 0);
            }
            _lastCheckpointSeq = Math.Min(_lastCheckpointSeq, _lastSeq);
            Volatile.Write(ref _head, _lastSeq);
            _ready = true;
            return true;
        }
        catch (Exception e)
        {
            _openProblem = e.Message;
            return false;
        }
    }

    private void WriteBatch(List<PendingAppend> batch)
    {
        if (!TryOpen())
        {
            FailAll(batch, $"the audit log cannot be opened: {_openProblem}");
            return;
        }
        if (_segmentPath is not null && !File.Exists(_segmentPath))
        {
            // An open handle to a deleted file would keep "succeeding" into nowhere.
            FailAll(batch, $"`{_segmentPath}` is gone; refusing to start a new chain");
            return;
        }
        if (_receipts.Length < batch.Count)
        {
            _receipts = new AuditReceipt[Math.Max(batch.Count, _options.MaxBatch)];
        }
        var receipts = _receipts;
        var records = _records;
        records.Clear();
        var newSegment = _file is null || _fileLength >= _options.SegmentBytes;
        if (newSegment)
        {
            var header = SegmentFiles.Header(_lastSeq + 1, DateTimeOffset.UtcNow, _options.Node);
            header.CopyTo(records.Patch(records.Skip(header.Length), header.Length));
        }
        Span<byte> prev = stackalloc byte[AuditChainHash.Size];
        _lastHash.CopyTo(prev);
        var seq = _lastSeq;
        var written = 0;
        var powerLoss = false;
        for (var i = 0; i < batch.Count; i++)
        {
            var item = batch[i];
            var frameStart = records.Skip(SegmentFrame.HeadLength);
            var payloadStart = records.Position;
            // INVARIANT: every batch starts a block, so a batch that is not written leaves no interned text behind it.
            var flags = (written == 0 ? AuditRecordFlags.BlockStart : AuditRecordFlags.None)
                | (item.Durability == AuditDurability.PowerLoss ? AuditRecordFlags.PowerLoss : AuditRecordFlags.None);
            try
            {
                records.BeginRecord(seq + 1, flags);
                AuditEventEncoding.Write(records, item.Event);
                records.EndRecord();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                records.CancelRecord(frameStart);
                receipts[i] = AuditReceipt.Failed(AuditErrorCodes.InvalidEvent, $"the event cannot be written: {e.Message}");
                continue;
            }
            var payloadLength = records.Position - payloadStart;
            if (payloadLength > SegmentFrame.MaxPayload)
            {
                records.CancelRecord(frameStart);
                receipts[i] = AuditReceipt.Failed(AuditErrorCodes.InvalidEvent, "the event is larger than a record may be");
                continue;
            }
            var checkAt = records.Skip(4);
            var head = records.Patch(frameStart, SegmentFrame.HeadLength);
            BinaryPrimitives.WriteUInt32LittleEndian(head, (uint)payloadLength);
            prev.CopyTo(head[4..]);
            SHA256.HashData(records.Patch(frameStart + 4, AuditChainHash.Size + payloadLength), prev);
            prev[..4].CopyTo(records.Patch(checkAt, 4));
            seq++;
            written++;
            powerLoss |= item.Durability == AuditDurability.PowerLoss;
            receipts[i] = item.Completion is null ? PostedReceipt : AuditReceipt.Success(seq, prev);
        }
        if (written > 0 && !Commit(batch, newSegment, powerLoss))
        {
            return;
        }
        if (written > 0)
        {
            _lastSeq = seq;
            prev.CopyTo(_lastHash);
            Volatile.Write(ref _head, seq);
            if (_failing)
            {
                _failing = false;
                SegmentLogEvents.Recovered(_logger, seq);
            }
        }
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Complete(receipts[i]);
        }
        if (written > 0)
        {
            _written?.Invoke();
        }
    }

    // Writes the encoded batch (starting a segment first when asked) and syncs it when a record needs power-loss
    // durability. On any failure nothing of the batch counts: the file is cut back to where it was and every append
    // of the batch fails; the next batch tries again.
    private bool Commit(List<PendingAppend> batch, bool newSegment, bool sync)
    {
        var before = _fileLength;
        var created = false;
        try
        {
            if (newSegment)
            {
                StartSegment();
                created = true;
                before = 0;
            }
            RandomAccess.Write(_file!, _records.Written, _fileLength);
            _fileLength += _records.Position;
            _unsynced = true;
            if (sync)
            {
                Sync(throwOnFailure: true);
            }
            return true;
        }
        catch (Exception e)
        {
            Rewind(before, created);
            FailAll(batch, $"the audit record could not be written: {e.Message}");
            return false;
        }
    }

    private void StartSegment()
    {
        if (_file is not null)
        {
            // The segment being left must be whole on disk before the chain goes on in another file.
            Sync(throwOnFailure: true);
            _file.Dispose();
            _file = null;
        }
        var path = SegmentFiles.SegmentPath(_options.Folder, _lastSeq + 1);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        // Create, not CreateNew: a file of this name can only be an earlier attempt that failed before its header.
        using (new FileStream(path, options))
        {
        }
        _file = File.OpenHandle(path, FileMode.Open, FileAccess.Write);
        _segmentPath = path;
        _fileLength = 0;
        SegmentFiles.SyncFolder(_options.Folder);
    }

    private void Rewind(long length, bool created)
    {
        try
        {
            if (_file is null)
            {
                return;
            }
            if (created && length == 0)
            {
                var path = SegmentFiles.SegmentPath(_options.Folder, _lastSeq + 1);
                _file.Dispose();
                _file = null;
                _segmentPath = null;
                File.Delete(path);
                return;
            }
            RandomAccess.SetLength(_file, length);
            _fileLength = length;
        }
        catch (Exception)
        {
            // The file could not even be cut back: forget it and find the tail again from disk before the next write.
            _file?.Dispose();
            _file = null;
            _ready = false;
        }
    }

    private void FailAll(List<PendingAppend> batch, string message)
    {
        if (!_failing)
        {
            _failing = true;
            SegmentLogEvents.Unwritable(_logger, batch.Count, message);
        }
        var failure = AuditReceipt.Failed(AuditErrorCodes.Unavailable, message);
        foreach (var item in batch)
        {
            item.Complete(failure);
        }
    }

    private void Sync(bool throwOnFailure = false)
    {
        if (!_unsynced || _file is null)
        {
            return;
        }
        try
        {
            RandomAccess.FlushToDisk(_file);
            _unsynced = false;
            _lastSyncAt = Stopwatch.GetTimestamp();
        }
        catch (Exception e) when (!throwOnFailure)
        {
            // Records already acknowledged in the process-crash class stay in the page cache; say so and retry.
            _lastSyncAt = Stopwatch.GetTimestamp();
            SegmentLogEvents.Unwritable(_logger, 0, $"fsync failed: {e.Message}");
        }
    }

    private void WriteCheckpoint()
    {
        try
        {
            Sync(throwOnFailure: true);
            var checkpoint = AuditCheckpointSigner.Sign(_key!, _lastSeq, Convert.ToHexStringLower(_lastHash), DateTimeOffset.UtcNow);
            SegmentCheckpoints.Append(_options.Folder, checkpoint);
            _lastCheckpointSeq = _lastSeq;
            _checkpointFailing = false;
        }
        catch (Exception e)
        {
            if (!_checkpointFailing)
            {
                _checkpointFailing = true;
                SegmentLogEvents.CheckpointFailed(_logger, _lastSeq, e.Message);
            }
        }
        _lastCheckpointAt = Stopwatch.GetTimestamp();
    }
}
