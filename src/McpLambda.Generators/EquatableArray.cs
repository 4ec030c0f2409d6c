using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace McpLambda.Generators
{
    /// <summary>An immutable array with value equality, so the generator's model caches correctly.</summary>
    internal readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IEnumerable<T>
        where T : IEquatable<T>
    {
        private readonly T[]? _array;

        public EquatableArray(T[] array) => _array = array;

        public EquatableArray(IEnumerable<T> items) => _array = items.ToArray();

        public int Count => _array?.Length ?? 0;

        public T this[int index] => AsArray()[index];

        public T[] AsArray() => _array ?? Array.Empty<T>();

        public bool Equals(EquatableArray<T> other)
        {
            var left = AsArray();
            var right = other.AsArray();
            if (left.Length != right.Length)
            {
                return false;
            }

            for (var i = 0; i < left.Length; i++)
            {
                if (!EqualityComparer<T>.Default.Equals(left[i], right[i]))
                {
                    return false;
                }
            }

            return true;
        }

        public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

        public override int GetHashCode()
        {
            var array = AsArray();
            var hash = 17;
            foreach (var item in array)
            {
                hash = unchecked((hash * 31) + (item is null ? 0 : item.GetHashCode()));
            }

            return hash;
        }

        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)AsArray()).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

        public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);
    }
}
