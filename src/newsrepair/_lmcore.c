/* newsrepair._lmcore: the language model's probability in C (optional fast path).
 *
 * The same arithmetic as NgramLM._logprob in langmodel.py, operation for operation, so
 * the two give bit-identical results (tests/test_langmodel.py checks it): an
 * interpolated absolute-discounting trigram model of news counts, mixed with a broad
 * bigram model, both backing off to a unigram probability. The tables are the arrays
 * NgramLM loads (sorted packed keys, parallel counts), shared through the buffer
 * protocol, not copied. Python code never needs this module: when it is missing (no C
 * compiler at install time, NEWSREPAIR_PURE_PYTHON=1) langmodel.py computes the same
 * numbers itself, about four times slower per probability (call included).
 *
 * Key packing (as in langmodel.py): ids < 2**21; a pair (v, w) is v << 21 | w, a triple
 * (u, v, w) is (u << 21 | v) << 21 | w, a context pair (u, v) is u << 21 | v. Id -1
 * means a word outside the vocabulary.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>

#define BITS 21

typedef struct {
    Py_buffer keys;   /* uint64, sorted */
    Py_buffer v0;     /* uint32: the count (or a context's total) */
    Py_buffer v1;     /* uint32: a context's number of types; unused otherwise */
    Py_ssize_t n;
} Table;

typedef struct {
    PyObject_HEAD
    PyObject *ids;    /* dict: word -> id */
    PyObject *oov;    /* callable: word -> unigram probability of a word outside the vocabulary */
    Py_buffer uni;    /* uint32, five per word id (see NgramLM.__init__) */
    Py_buffer p_uni;  /* double, one per word id */
    Table tri, bi, ctx2, books;
    double discount, news_weight, books_lambda;
    Py_ssize_t vocab;
    int ready;
} Scorer;

/* Index of key in the table, or -1. */
static Py_ssize_t find(const Table *t, uint64_t key) {
    const uint64_t *k = (const uint64_t *)t->keys.buf;
    Py_ssize_t lo = 0, hi = t->n;
    while (lo < hi) {  /* bisect_left */
        Py_ssize_t mid = lo + (hi - lo) / 2;
        if (k[mid] < key) lo = mid + 1; else hi = mid;
    }
    return (lo < t->n && k[lo] == key) ? lo : -1;
}

static uint32_t count(const Table *t, uint64_t key) {
    Py_ssize_t i = find(t, key);
    return i < 0 ? 0 : ((const uint32_t *)t->v0.buf)[i];
}

/* P(w | u v): NgramLM._logprob before the log, given P_unigram(w). */
static double probability(const Scorer *s, long u, long v, long w, double p_uni) {
    const uint32_t *uni = (const uint32_t *)s->uni.buf;
    const double d = s->discount;
    /* news: pair level, then triple level (NgramLM._p_news) */
    double p = p_uni;
    if (v >= 0) {
        uint32_t ctx_total = uni[5 * v + 2];
        if (ctx_total) {
            uint32_t c = w >= 0 ? count(&s->bi, ((uint64_t)v << BITS) | (uint64_t)w) : 0;
            double a = (double)c - d;
            p = ((a > 0.0 ? a : 0.0) + d * (double)uni[5 * v + 3] * p_uni) / (double)ctx_total;
        }
    }
    if (u >= 0 && v >= 0) {
        uint64_t ctx = ((uint64_t)u << BITS) | (uint64_t)v;
        Py_ssize_t k = find(&s->ctx2, ctx);
        if (k >= 0) {
            uint32_t total = ((const uint32_t *)s->ctx2.v0.buf)[k];
            uint32_t types = ((const uint32_t *)s->ctx2.v1.buf)[k];
            uint32_t c = w >= 0 ? count(&s->tri, (ctx << BITS) | (uint64_t)w) : 0;
            double a = (double)c - d;
            p = ((a > 0.0 ? a : 0.0) + d * (double)types * p) / (double)total;
        }
    }
    /* broad bigrams (NgramLM._p_books) */
    double pb = p_uni;
    if (v >= 0 && w >= 0) {
        uint32_t total = uni[5 * v + 4];
        if (total) {
            uint32_t c = count(&s->books, ((uint64_t)v << BITS) | (uint64_t)w);
            pb = (1.0 - s->books_lambda) * (double)c / (double)total + s->books_lambda * p_uni;
        }
    }
    return s->news_weight * p + (1.0 - s->news_weight) * pb;
}

/* ------------------------------------------------------------------ the type */
static int get_buffer(PyObject *obj, Py_buffer *view, Py_ssize_t itemsize, const char *name) {
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0)
        return -1;
    if (view->itemsize != itemsize) {
        PyErr_Format(PyExc_ValueError, "%s: items of %zd bytes expected, got %zd", name, itemsize,
                     view->itemsize);
        PyBuffer_Release(view);
        view->obj = NULL;
        return -1;
    }
    return 0;
}

static int get_table(Table *t, PyObject *keys, PyObject *v0, PyObject *v1, const char *name) {
    if (get_buffer(keys, &t->keys, 8, name) < 0 || get_buffer(v0, &t->v0, 4, name) < 0)
        return -1;
    if (v1 != NULL && get_buffer(v1, &t->v1, 4, name) < 0)
        return -1;
    t->n = t->keys.len / 8;
    if (t->v0.len / 4 != t->n || (v1 != NULL && t->v1.len / 4 != t->n)) {
        PyErr_Format(PyExc_ValueError, "%s: arrays of different lengths", name);
        return -1;
    }
    return 0;
}

static void release_table(Table *t) {
    if (t->keys.obj) PyBuffer_Release(&t->keys);
    if (t->v0.obj) PyBuffer_Release(&t->v0);
    if (t->v1.obj) PyBuffer_Release(&t->v1);
}

static void Scorer_dealloc(Scorer *self) {
    Py_XDECREF(self->ids);
    Py_XDECREF(self->oov);
    if (self->uni.obj) PyBuffer_Release(&self->uni);
    if (self->p_uni.obj) PyBuffer_Release(&self->p_uni);
    release_table(&self->tri);
    release_table(&self->bi);
    release_table(&self->ctx2);
    release_table(&self->books);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int Scorer_init(Scorer *self, PyObject *args, PyObject *kwds) {
    static char *kwlist[] = {"ids", "oov", "uni", "p_uni", "tri_keys", "tri_counts", "bi_keys", "bi_counts",
                             "ctx_keys", "ctx_total", "ctx_types", "books_keys", "books_counts",
                             "discount", "news_weight", "books_lambda", NULL};
    PyObject *ids, *oov, *uni, *p_uni, *tk, *tc, *bk, *bc, *ck, *ct, *cy, *ok, *oc;
    if (self->ready) {
        PyErr_SetString(PyExc_TypeError, "Scorer is already initialised");
        return -1;
    }
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O!OOOOOOOOOOOOddd", kwlist, &PyDict_Type, &ids, &oov, &uni,
                                     &p_uni, &tk, &tc, &bk, &bc, &ck, &ct, &cy, &ok, &oc, &self->discount,
                                     &self->news_weight, &self->books_lambda))
        return -1;
    if (!PyCallable_Check(oov)) {
        PyErr_SetString(PyExc_TypeError, "oov must be callable");
        return -1;
    }
    Py_INCREF(ids);
    self->ids = ids;
    Py_INCREF(oov);
    self->oov = oov;
    if (get_buffer(uni, &self->uni, 4, "uni") < 0 || get_buffer(p_uni, &self->p_uni, 8, "p_uni") < 0)
        return -1;
    self->vocab = self->p_uni.len / 8;
    if (self->uni.len / 4 != 5 * self->vocab) {
        PyErr_SetString(PyExc_ValueError, "uni must hold five counts per word of p_uni");
        return -1;
    }
    if (self->vocab >= ((Py_ssize_t)1 << BITS)) {
        PyErr_SetString(PyExc_ValueError, "vocabulary too large for 21-bit ids");
        return -1;
    }
    if (get_table(&self->tri, tk, tc, NULL, "trigrams") < 0 || get_table(&self->bi, bk, bc, NULL, "bigrams") < 0
        || get_table(&self->ctx2, ck, ct, cy, "contexts") < 0
        || get_table(&self->books, ok, oc, NULL, "books") < 0)
        return -1;
    self->ready = 1;
    return 0;
}

/* The id of the word ``token`` (-1 outside the vocabulary); -2 with an exception set. */
static long word_id(const Scorer *s, PyObject *token) {
    PyObject *id = PyDict_GetItemWithError(s->ids, token);
    if (id == NULL)
        return PyErr_Occurred() ? -2 : -1;
    long w = PyLong_AsLong(id);
    if (w == -1 && PyErr_Occurred())
        return -2;
    if (w < 0 || w >= s->vocab) {
        PyErr_Format(PyExc_ValueError, "word id %ld out of range", w);
        return -2;
    }
    return w;
}

PyDoc_STRVAR(sequence_logprob_doc,
"sequence_logprob(tokens, context) -> float\n\n"
"NgramLM.sequence_logprob: the sum of log P(token | two previous tokens) over ``tokens``\n"
"(a sequence of LM tokens) after the last two tokens of ``context``.");

static PyObject *Scorer_sequence_logprob(Scorer *self, PyObject *const *args, Py_ssize_t nargs) {
    if (!self->ready) {
        PyErr_SetString(PyExc_TypeError, "Scorer is not initialised");
        return NULL;
    }
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "sequence_logprob takes 2 arguments (tokens, context)");
        return NULL;
    }
    long u = -1, v = -1;
    PyObject *ctx = PySequence_Fast(args[1], "context must be a sequence");
    if (ctx == NULL)
        return NULL;
    Py_ssize_t nc = PySequence_Fast_GET_SIZE(ctx);
    if (nc >= 2)
        u = word_id(self, PySequence_Fast_GET_ITEM(ctx, nc - 2));
    if (nc >= 1 && u != -2)
        v = word_id(self, PySequence_Fast_GET_ITEM(ctx, nc - 1));
    Py_DECREF(ctx);
    if (u == -2 || v == -2)
        return NULL;
    PyObject *toks = PySequence_Fast(args[0], "tokens must be a sequence");
    if (toks == NULL)
        return NULL;
    const double *p_uni = (const double *)self->p_uni.buf;
    double total = 0.0;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(toks);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *tok = PySequence_Fast_GET_ITEM(toks, i);
        long w = word_id(self, tok);
        double pu;
        if (w >= 0) {
            pu = p_uni[w];
        } else if (w == -1) {
            PyObject *r = PyObject_CallOneArg(self->oov, tok);
            if (r == NULL)
                goto error;
            pu = PyFloat_AsDouble(r);
            Py_DECREF(r);
            if (pu == -1.0 && PyErr_Occurred())
                goto error;
        } else {
            goto error;
        }
        total += log(probability(self, u, v, w, pu));
        u = v;
        v = w;
    }
    Py_DECREF(toks);
    return PyFloat_FromDouble(total);
error:
    Py_DECREF(toks);
    return NULL;
}

static PyMethodDef Scorer_methods[] = {
    {"sequence_logprob", (PyCFunction)(void (*)(void))Scorer_sequence_logprob, METH_FASTCALL,
     sequence_logprob_doc},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject ScorerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "newsrepair._lmcore.Scorer",
    .tp_doc = PyDoc_STR("The language model's tables, scored in C (see newsrepair.langmodel)."),
    .tp_basicsize = sizeof(Scorer),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Scorer_init,
    .tp_dealloc = (destructor)Scorer_dealloc,
    .tp_methods = Scorer_methods,
};

static struct PyModuleDef lmcore_module = {
    PyModuleDef_HEAD_INIT, "_lmcore",
    "The n-gram language model's probabilities in C: an optional fast path of newsrepair.langmodel.",
    -1, NULL, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__lmcore(void) {
    if (PyType_Ready(&ScorerType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&lmcore_module);
    if (m == NULL)
        return NULL;
    Py_INCREF(&ScorerType);
    if (PyModule_AddObject(m, "Scorer", (PyObject *)&ScorerType) < 0) {
        Py_DECREF(&ScorerType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
