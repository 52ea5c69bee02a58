using System.Numerics;

namespace GptChat.Generation;

/// <summary>
/// Picks the k largest scores of a span in O(n log k) with a size-k min-heap, no allocation after
/// construction. Order is deterministic: descending score, and for equal scores the lower index first
/// (torch.topk leaves tie order unspecified; golden cases never depend on it). NaN never enters.
/// </summary>
internal sealed class TopKSelector(int capacity)
{
    private readonly float[] _values = new float[capacity];
    private readonly int[] _indices = new int[capacity];

    public int Count { get; private set; }

    /// <summary>The selected scores, best first (valid until the next <see cref="Select"/>).</summary>
    public ReadOnlySpan<float> Values => _values.AsSpan(0, Count);

    /// <summary>The positions of <see cref="Values"/> in the scanned span.</summary>
    public ReadOnlySpan<int> Indices => _indices.AsSpan(0, Count);

    public void Select(ReadOnlySpan<float> scores, int k)
    {
        if (k > capacity)
            throw new ArgumentOutOfRangeException(nameof(k), $"k ({k}) exceeds the selector's capacity ({capacity}).");
        k = Math.Min(k, scores.Length);
        var values = _values;
        var indices = _indices;
        var count = 0;
        var i = 0;

        // Fill the heap with the first k non-NaN scores.
        for (; i < scores.Length && count < k; i++)
        {
            if (float.IsNaN(scores[i]))
                continue;
            values[count] = scores[i];
            indices[count] = i;
            SiftUp(count++);
        }

        // Scanning left to right, a later index never wins a tie, so "strictly greater than the
        // worst kept" is the whole test. Most of the scan is whole vectors with nothing above the
        // worst kept, skipped with one SIMD compare each.
        if (count == k && k > 0)
        {
            var worst = values[0];
            var width = Vector<float>.Count;
            for (; i < scores.Length; i++)
            {
                if (i % width == 0)
                {
                    while (i + width <= scores.Length
                        && !Vector.GreaterThanAny(new Vector<float>(scores.Slice(i, width)), new Vector<float>(worst)))
                        i += width;
                    if (i == scores.Length)
                        break;
                }
                var v = scores[i];
                if (v > worst)
                {
                    values[0] = v;
                    indices[0] = i;
                    SiftDown(0, k);
                    worst = values[0];
                }
            }
        }

        Count = count;
        // Heap-sort in place: repeatedly move the worst to the end, so the array ends best first.
        for (var end = count - 1; end > 0; end--)
        {
            Swap(0, end);
            SiftDown(0, end);
        }
    }

    // Heap order: the root is the worst element (lowest score; among equal scores, the highest index).
    private bool Worse(int a, int b) =>
        _values[a] < _values[b] || (_values[a] == _values[b] && _indices[a] > _indices[b]);

    private void SiftUp(int child)
    {
        while (child > 0)
        {
            var parent = (child - 1) / 2;
            if (!Worse(child, parent))
                return;
            Swap(child, parent);
            child = parent;
        }
    }

    private void SiftDown(int parent, int count)
    {
        while (true)
        {
            var worst = parent;
            var left = 2 * parent + 1;
            var right = left + 1;
            if (left < count && Worse(left, worst))
                worst = left;
            if (right < count && Worse(right, worst))
                worst = right;
            if (worst == parent)
                return;
            Swap(parent, worst);
            parent = worst;
        }
    }

    private void Swap(int a, int b)
    {
        (_values[a], _values[b]) = (_values[b], _values[a]);
        (_indices[a], _indices[b]) = (_indices[b], _indices[a]);
    }
}
