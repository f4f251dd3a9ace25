using System;
using System.Collections;

namespace MicroT.Runtime.Classifier
{
    /// <summary>
    /// The tasks that share one extractor, addressed by index or by name. Every task must take
    /// the same part and full features (length, scale, zero point) as the first one added.
    /// </summary>
    public sealed class TaskSet
    {
        readonly ArrayList _tasks = new ArrayList();

        /// <summary>Number of tasks in the set.</summary>
        public int Count { get { return _tasks.Count; } }

        /// <summary>The task at index.</summary>
        public ClassifierTask this[int index]
        {
            get
            {
                if (index < 0 || index >= _tasks.Count) throw new ArgumentOutOfRangeException("index", "must be in 0.." + (_tasks.Count - 1) + ", was " + index);
                return (ClassifierTask)_tasks[index];
            }
        }

        /// <summary>The task named name; ArgumentException when there is none.</summary>
        public ClassifierTask this[string name]
        {
            get
            {
                int i = IndexOf(name);
                if (i < 0) throw new ArgumentException("no task named '" + name + "'");
                return (ClassifierTask)_tasks[i];
            }
        }

        /// <summary>Index of the task named name, or -1.</summary>
        public int IndexOf(string name)
        {
            if (name == null) throw new ArgumentNullException("name");
            for (int i = 0; i < _tasks.Count; i++)
                if (((ClassifierTask)_tasks[i]).Name == name) return i;
            return -1;
        }

        /// <summary>Adds a task, or replaces the one with the same name (e.g. a reloaded copy). Returns its index.</summary>
        public int Set(ClassifierTask task)
        {
            if (task == null) throw new ArgumentNullException("task");
            if (_tasks.Count > 0)
            {
                var first = (ClassifierTask)_tasks[0];
                if (!SameFeatures(first.PartHead, task.PartHead) || !SameFeatures(first.FullHead, task.FullHead))
                    throw new ArgumentException("task '" + task.Name + "' takes other features than task '" + first.Name + "' (length, scale or zero point differ)");
            }
            int i = IndexOf(task.Name);
            if (i >= 0) { _tasks[i] = task; return i; }
            return _tasks.Add(task);
        }

        /// <summary>Removes the task named name; false when there is none.</summary>
        public bool Remove(string name)
        {
            int i = IndexOf(name);
            if (i < 0) return false;
            _tasks.RemoveAt(i);
            return true;
        }

        static bool SameFeatures(LinearHead a, LinearHead b)
        {
            return a.Accepts(b.FeatureLength, b.FeatureScale, b.FeatureZeroPoint);
        }
    }
}
