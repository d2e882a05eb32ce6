/* newsrepair._lmcore: optional C fast paths of newsrepair, which compute exactly what
 * the Python code computes (tests/test_lmcore.py compares the two on any input).
 *
 * 1. The language model's probability (Scorer.sequence_logprob): the same arithmetic as
 *    NgramLM._logprob in langmodel.py, operation for operation, so the two give
 *    bit-identical results: an interpolated absolute-discounting trigram model of news
 *    counts, mixed with a broad bigram model, both backing off to a unigram probability.
 *    The tables are the arrays NgramLM loads (sorted packed keys, parallel counts),
 *    shared through the buffer protocol, not copied; an index of where each word's
 *    pairs and each context's triples start (group_starts) makes a lookup a short
 *    binary search. About 0.2 us per probability, seven times faster than Python.
 * 2. Spin detection's reading of a document (spin/detect.py, spin/lexicon.py): lowercasing
 *    it (lowercase), counting its words and judging whether it is English (word_stats;
 *    Scorer.word_stats looks the words up in a table of the vocabulary by their code
 *    points, as word_id does, without making or hashing a str), finding where a
 *    signature phrase may start (phrase_starts), the tokens around such a place
 *    (window_tokens) and the posteriors of the phrase's restorations there
 *    (Scorer.phrase_posteriors), all of it for every phrase in one call
 *    (Scorer.scan_phrases). Where the C code cannot be sure of a character's class
 *    as the regex module sees it, it says so and the Python code reads that place.
 * 3. Reversal's posteriors of a position (posteriors: decode._posteriors) and its search of
 *    a sentence (Scorer.decode_sentence: Decoder.decode_sentence's passes, the windows
 *    it scores, their LM scores kept by context, the choices and their posteriors).
 *
 * Python code never needs this module: when it is missing (no C compiler at install
 * time, NEWSREPAIR_PURE_PYTHON=1) the same numbers are computed in Python, slower.
 *
 * Key packing (as in langmodel.py): ids < 2**21; a pair (v, w) is v << 21 | w, a triple
 * (u, v, w) is (u << 21 | v) << 21 | w, a context pair (u, v) is u << 21 | v. Id -1
 * means a word outside the vocabulary.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#define BITS 21

/* Inlined where it is called with a constant, so the compiler makes one loop per string kind. */
#if defined(__GNUC__) || defined(__clang__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE inline
#endif

typedef struct {
    Py_buffer keys;   /* uint64, sorted */
    Py_buffer v0;     /* uint32: the count (or a context's total) */
    Py_buffer v1;     /* uint32: a context's number of types; unused otherwise */
    Py_ssize_t n;
    uint32_t *groups; /* where each group of keys starts (see group_starts) */
} Table;

typedef struct {
    PyObject_HEAD
    PyObject *ids;    /* dict: word -> id */
    PyObject *oov;    /* callable: word -> unigram probability of a word outside the vocabulary */
    PyObject *token;  /* callable: word -> its LM form (langmodel.lm_token), or NULL */
    Py_buffer uni;    /* uint32, five per word id (see NgramLM.__init__) */
    Py_buffer p_uni;  /* double, one per word id */
    Table tri, bi, ctx2, books;
    double discount, news_weight, books_lambda;
    Py_ssize_t vocab;
    struct VocabSlot *vslots; /* ids again, for looking a word up without hashing a str (vocab_find);
                               * ids must not change once the scorer is made */
    uint64_t vmask;
    int ready;
} Scorer;

/* Index of ``key`` among the table's keys [lo, hi), or -1. */
static Py_ssize_t find_in(const Table *t, uint64_t key, Py_ssize_t lo, Py_ssize_t hi) {
    const uint64_t *k = (const uint64_t *)t->keys.buf;
    Py_ssize_t end = hi;
    while (lo < hi) {  /* bisect_left */
        Py_ssize_t mid = lo + (hi - lo) / 2;
        if (k[mid] < key) lo = mid + 1; else hi = mid;
    }
    return (lo < end && k[lo] == key) ? lo : -1;
}

/* The count of ``key`` in group ``g`` of the table (0 when it is not there). */
static uint32_t count_in(const Table *t, uint64_t key, Py_ssize_t g) {
    Py_ssize_t i = find_in(t, key, t->groups[g], t->groups[g + 1]);
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
            uint32_t c = w >= 0 ? count_in(&s->bi, ((uint64_t)v << BITS) | (uint64_t)w, v) : 0;
            double a = (double)c - d;
            p = ((a > 0.0 ? a : 0.0) + d * (double)uni[5 * v + 3] * p_uni) / (double)ctx_total;
        }
    }
    if (u >= 0 && v >= 0) {
        uint64_t ctx = ((uint64_t)u << BITS) | (uint64_t)v;
        Py_ssize_t k = find_in(&s->ctx2, ctx, s->ctx2.groups[u], s->ctx2.groups[u + 1]);
        if (k >= 0) {
            uint32_t total = ((const uint32_t *)s->ctx2.v0.buf)[k];
            uint32_t types = ((const uint32_t *)s->ctx2.v1.buf)[k];
            uint32_t c = w >= 0 ? count_in(&s->tri, (ctx << BITS) | (uint64_t)w, k) : 0;
            double a = (double)c - d;
            p = ((a > 0.0 ? a : 0.0) + d * (double)types * p) / (double)total;
        }
    }
    /* broad bigrams (NgramLM._p_books) */
    double pb = p_uni;
    if (v >= 0 && w >= 0) {
        uint32_t total = uni[5 * v + 4];
        if (total) {
            uint32_t c = count_in(&s->books, ((uint64_t)v << BITS) | (uint64_t)w, v);
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

/* Groups the table's keys for the lookups above: ``groups[g]`` (g = 0..ngroups) is the
 * first index whose key, shifted right by ``shift``, is at least ``marks[g]`` (``g``
 * itself without marks), and ``groups[ngroups]`` is the end. So a word's pairs, or a
 * context's triples, are searched among themselves, not in the whole table: the same
 * counts, found in a few steps. The keys must be sorted and distinct. */
static int group_starts(Table *t, int shift, const uint64_t *marks, Py_ssize_t ngroups, const char *name) {
    const uint64_t *k = (const uint64_t *)t->keys.buf;
    if (t->n >= (Py_ssize_t)UINT32_MAX) {
        PyErr_Format(PyExc_ValueError, "%s: too many keys", name);
        return -1;
    }
    for (Py_ssize_t i = 1; i < t->n; i++) {
        if (k[i - 1] >= k[i]) {
            PyErr_Format(PyExc_ValueError, "%s: keys not sorted", name);
            return -1;
        }
    }
    t->groups = PyMem_Malloc((ngroups + 1) * sizeof(uint32_t));
    if (t->groups == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t i = 0;
    for (Py_ssize_t g = 0; g < ngroups; g++) {
        uint64_t mark = marks != NULL ? marks[g] : (uint64_t)g;
        while (i < t->n && (k[i] >> shift) < mark)
            i++;
        t->groups[g] = (uint32_t)i;
    }
    t->groups[ngroups] = (uint32_t)t->n;
    return 0;
}

static void release_table(Table *t) {
    PyMem_Free(t->groups);
    t->groups = NULL;
    if (t->keys.obj) PyBuffer_Release(&t->keys);
    if (t->v0.obj) PyBuffer_Release(&t->v0);
    if (t->v1.obj) PyBuffer_Release(&t->v1);
}

/* ------------------------------------------------------------------ the vocabulary by code points */
#define FNV_OFFSET 14695981039346656037ULL
#define FNV_PRIME 1099511628211ULL

/* A word of ``ids`` in the Scorer's open-addressing table (linear probing; ``word`` NULL
 * for an empty slot), found by the FNV-1a hash of its code points. */
typedef struct VocabSlot {
    uint64_t hash;
    PyObject *word; /* a str key of ids (a strong reference) */
    long id;
} VocabSlot;

static void release_vocab(Scorer *self) {
    if (self->vslots == NULL)
        return;
    for (uint64_t k = 0; k <= self->vmask; k++)
        Py_XDECREF(self->vslots[k].word);
    PyMem_Free(self->vslots);
    self->vslots = NULL;
}

/* FNV-1a over the code points [i, j) of ``data`` (of one kind). */
static ALWAYS_INLINE uint64_t fnv_chars(int kind, const void *data, Py_ssize_t i, Py_ssize_t j) {
    uint64_t h = FNV_OFFSET;
    for (; i < j; i++)
        h = (h ^ PyUnicode_READ(kind, data, i)) * FNV_PRIME;
    return h;
}

/* Builds the table of ``ids`` (str -> id in 0..vocab); -1 with an exception set. */
static int build_vocab(Scorer *self) {
    Py_ssize_t n = PyDict_GET_SIZE(self->ids), size = 16;
    while (size < 2 * n)
        size *= 2;
    self->vslots = PyMem_Calloc(size, sizeof(VocabSlot));
    if (self->vslots == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    self->vmask = (uint64_t)size - 1;
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(self->ids, &pos, &key, &value)) {
        long id = PyLong_AsLong(value);
        if (id == -1 && PyErr_Occurred())
            return -1;
        if (id < 0 || id >= self->vocab) {
            PyErr_Format(PyExc_ValueError, "word id %ld out of range", id);
            return -1;
        }
        if (!PyUnicode_Check(key))
            continue; /* no token is looked up as anything but a str */
        uint64_t h = fnv_chars(PyUnicode_KIND(key), PyUnicode_DATA(key), 0, PyUnicode_GET_LENGTH(key));
        uint64_t slot = h & self->vmask;
        while (self->vslots[slot].word != NULL)
            slot = (slot + 1) & self->vmask;
        Py_INCREF(key);
        self->vslots[slot] = (VocabSlot){h, key, id};
    }
    return 0;
}

/* The id of the word [i, j) of ``data`` (of one kind), -1 when ids does not hold it: what
 * ids[text[i:j]] gives, without making the str. */
static ALWAYS_INLINE long vocab_find(const Scorer *s, int kind, const void *data, Py_ssize_t i, Py_ssize_t j) {
    uint64_t h = fnv_chars(kind, data, i, j);
    for (uint64_t slot = h & s->vmask; s->vslots[slot].word != NULL; slot = (slot + 1) & s->vmask) {
        const VocabSlot *v = &s->vslots[slot];
        if (v->hash != h || PyUnicode_GET_LENGTH(v->word) != j - i)
            continue;
        int wkind = PyUnicode_KIND(v->word);
        const void *wdata = PyUnicode_DATA(v->word);
        Py_ssize_t m = 0;
        while (m < j - i && PyUnicode_READ(wkind, wdata, m) == PyUnicode_READ(kind, data, i + m))
            m++;
        if (m == j - i)
            return v->id;
    }
    return -1;
}

static void Scorer_dealloc(Scorer *self) {
    Py_XDECREF(self->ids);
    Py_XDECREF(self->oov);
    Py_XDECREF(self->token);
    if (self->uni.obj) PyBuffer_Release(&self->uni);
    if (self->p_uni.obj) PyBuffer_Release(&self->p_uni);
    release_table(&self->tri);
    release_table(&self->bi);
    release_table(&self->ctx2);
    release_table(&self->books);
    release_vocab(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int Scorer_init(Scorer *self, PyObject *args, PyObject *kwds) {
    static char *kwlist[] = {"ids", "oov", "uni", "p_uni", "tri_keys", "tri_counts", "bi_keys", "bi_counts",
                             "ctx_keys", "ctx_total", "ctx_types", "books_keys", "books_counts",
                             "discount", "news_weight", "books_lambda", "token", NULL};
    PyObject *ids, *oov, *uni, *p_uni, *tk, *tc, *bk, *bc, *ck, *ct, *cy, *ok, *oc, *token = NULL;
    if (self->ready) {
        PyErr_SetString(PyExc_TypeError, "Scorer is already initialised");
        return -1;
    }
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O!OOOOOOOOOOOOddd|O", kwlist, &PyDict_Type, &ids, &oov, &uni,
                                     &p_uni, &tk, &tc, &bk, &bc, &ck, &ct, &cy, &ok, &oc, &self->discount,
                                     &self->news_weight, &self->books_lambda, &token))
        return -1;
    if (!PyCallable_Check(oov) || (token != NULL && token != Py_None && !PyCallable_Check(token))) {
        PyErr_SetString(PyExc_TypeError, "oov and token must be callable");
        return -1;
    }
    if (token != NULL && token != Py_None) {
        Py_INCREF(token);
        self->token = token;
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
    /* pairs by their first word, contexts by their first word, triples by their context */
    if (group_starts(&self->bi, BITS, NULL, self->vocab, "bigrams") < 0
        || group_starts(&self->books, BITS, NULL, self->vocab, "books") < 0
        || group_starts(&self->ctx2, BITS, NULL, self->vocab, "contexts") < 0
        || group_starts(&self->tri, BITS, (const uint64_t *)self->ctx2.keys.buf, self->ctx2.n, "trigrams") < 0
        || build_vocab(self) < 0)
        return -1;
    self->ready = 1;
    return 0;
}

/* The id of the word ``token`` (-1 outside the vocabulary); -2 with an exception set. */
static long word_id(const Scorer *s, PyObject *token) {
    if (PyUnicode_Check(token))  /* the table holds what ids held when the scorer was made */
        return vocab_find(s, PyUnicode_KIND(token), PyUnicode_DATA(token), 0, PyUnicode_GET_LENGTH(token));
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

typedef struct {
    long id;
    double pu;  /* its unigram probability */
} Word;

/* The id and unigram probability of the LM token ``tok`` (borrowed); -1 with an exception set. */
static int lookup_word(const Scorer *s, PyObject *tok, Word *out) {
    long w = word_id(s, tok);
    if (w == -2)
        return -1;
    out->id = w;
    if (w >= 0) {
        out->pu = ((const double *)s->p_uni.buf)[w];
        return 0;
    }
    PyObject *r = PyObject_CallOneArg(s->oov, tok);
    if (r == NULL)
        return -1;
    out->pu = PyFloat_AsDouble(r);
    Py_DECREF(r);
    return (out->pu == -1.0 && PyErr_Occurred()) ? -1 : 0;
}

PyDoc_STRVAR(sequence_logprob_doc,
"sequence_logprob(tokens, context) -> float\n\n"
"NgramLM.sequence_logprob: the sum of log P(token | two previous tokens) over ``tokens``\n"
"(a sequence of LM tokens) after the last two tokens of ``context``.");

/* Whether a method of ``self`` may run with ``nargs`` arguments (else a TypeError is set). */
static int check_call(const Scorer *self, Py_ssize_t nargs, Py_ssize_t expected, const char *usage) {
    if (!self->ready) {
        PyErr_SetString(PyExc_TypeError, "Scorer is not initialised");
        return 0;
    }
    if (nargs != expected) {
        PyErr_Format(PyExc_TypeError, "%s takes %zd arguments", usage, expected);
        return 0;
    }
    return 1;
}

/* The sum of log P(token | two previous tokens) over ``toks[0..n)`` after the context's
 * last two tokens ``u_tok``, ``v_tok`` (borrowed; NULL where the context is shorter),
 * into ``*out``: NgramLM.sequence_logprob. -1 with an exception set. */
static int tokens_logprob(const Scorer *s, PyObject *u_tok, PyObject *v_tok, PyObject *const *toks,
                          Py_ssize_t n, double *out) {
    long u = u_tok ? word_id(s, u_tok) : -1, v = -1;
    if (u == -2)
        return -1;
    if (v_tok && (v = word_id(s, v_tok)) == -2)
        return -1;
    double total = 0.0;
    for (Py_ssize_t k = 0; k < n; k++) {
        Word w;
        if (lookup_word(s, toks[k], &w) < 0)
            return -1;
        total += log(probability(s, u, v, w.id, w.pu));
        u = v;
        v = w.id;
    }
    *out = total;
    return 0;
}

static PyObject *Scorer_sequence_logprob(Scorer *self, PyObject *const *args, Py_ssize_t nargs) {
    if (!check_call(self, nargs, 2, "sequence_logprob(tokens, context)"))
        return NULL;
    PyObject *ctx = PySequence_Fast(args[1], "context must be a sequence");
    if (ctx == NULL)
        return NULL;
    PyObject *toks = PySequence_Fast(args[0], "tokens must be a sequence");
    if (toks == NULL) {
        Py_DECREF(ctx);
        return NULL;
    }
    Py_ssize_t nc = PySequence_Fast_GET_SIZE(ctx);
    double total;
    int ok = tokens_logprob(self, nc >= 2 ? PySequence_Fast_GET_ITEM(ctx, nc - 2) : NULL,
                            nc >= 1 ? PySequence_Fast_GET_ITEM(ctx, nc - 1) : NULL,
                            PySequence_Fast_ITEMS(toks), PySequence_Fast_GET_SIZE(toks), &total);
    Py_DECREF(ctx);
    Py_DECREF(toks);
    return ok < 0 ? NULL : PyFloat_FromDouble(total);
}

/* ------------------------------------------------------------------ detection */
static PyObject *S_NUM, *S_BOS;  /* "<num>", "<s>" */

/* The LM form of ``tok`` (new reference): "<num>" for a token with an ASCII digit, the
 * token itself when it is lowercase ASCII, else what the Python function lm_token says. */
static PyObject *lm_form(const Scorer *s, PyObject *tok) {
    if (!PyUnicode_Check(tok)) {
        PyErr_SetString(PyExc_TypeError, "tokens must be str");
        return NULL;
    }
    if (PyUnicode_IS_ASCII(tok)) {
        const Py_UCS1 *c = PyUnicode_1BYTE_DATA(tok);
        Py_ssize_t n = PyUnicode_GET_LENGTH(tok);
        int upper = 0;
        for (Py_ssize_t i = 0; i < n; i++) {
            if (c[i] >= '0' && c[i] <= '9') {
                Py_INCREF(S_NUM);
                return S_NUM;
            }
            upper |= c[i] >= 'A' && c[i] <= 'Z';
        }
        if (!upper) {
            Py_INCREF(tok);
            return tok;
        }
    }
    if (s->token == NULL) {
        PyErr_SetString(PyExc_TypeError, "this Scorer was made without a token function");
        return NULL;
    }
    return PyObject_CallOneArg(s->token, tok);
}

/* detect.CONTEXT_CHARS and detect.SENTENCE_END, which the module exports for a test to
   compare with the Python constants. */
static const Py_ssize_t widths[] = {24, 96, 384};
#define SENTENCE_END ".!?"

/* Whether ``tok`` is one character of SENTENCE_END. */
static int ends_sentence(PyObject *tok) {
    if (!PyUnicode_Check(tok) || PyUnicode_GET_LENGTH(tok) != 1)
        return 0;
    Py_UCS4 c = PyUnicode_READ_CHAR(tok, 0);
    return c != 0 && c < 128 && strchr(SENTENCE_END, (int)c) != NULL;
}

/* Sum of log P over ``n`` words after the context ids (u, v). */
static double words_logprob(const Scorer *s, long u, long v, const Word *w, Py_ssize_t n) {
    double total = 0.0;
    for (Py_ssize_t k = 0; k < n; k++) {
        total += log(probability(s, u, v, w[k].id, w[k].pu));
        u = v;
        v = w[k].id;
    }
    return total;
}

/* decode._softmax of ``z[0..n)`` (n >= 1), in place: z[k] becomes its posterior, the
 * exponentials added left to right as the Python code does. */
static void softmax(double *z, Py_ssize_t n) {
    double m = z[0];
    for (Py_ssize_t k = 1; k < n; k++)
        if (z[k] > m)
            m = z[k];
    double total = 0.0;
    for (Py_ssize_t k = 0; k < n; k++) {
        z[k] = exp(z[k] - m);
        total += z[k];
    }
    for (Py_ssize_t k = 0; k < n; k++)
        z[k] /= total;
}

/* :func:`softmax` of ``z[0..n)``, the posteriors as a new list, or NULL with an
 * exception set. */
static PyObject *softmax_list(double *z, Py_ssize_t n) {
    softmax(z, n);
    PyObject *out = PyList_New(n);
    for (Py_ssize_t k = 0; out != NULL && k < n; k++) {
        PyObject *f = PyFloat_FromDouble(z[k]);
        if (f == NULL)
            Py_CLEAR(out);
        else
            PyList_SET_ITEM(out, k, f);
    }
    return out;
}

PyDoc_STRVAR(phrase_posteriors_doc,
"phrase_posteriors(left, right, lmax, lengths, forms, articles, log_priors) -> (best, posteriors)\n\n"
"Decoder.phrase_posteriors in one call: the posteriors of keeping the phrase at the start\n"
"of ``right`` and of each option (``lengths``: tokens replaced, ``forms``: LM tokens,\n"
"``articles``: the article each takes, ``log_priors``: of keep and each option), and the\n"
"index (from 1) of the best option. ``left`` and ``right`` are tokens of lowercased text\n"
"before the phrase and from its start on (detect.context_window picks the window).");

static PyObject *Scorer_phrase_posteriors(Scorer *self, PyObject *const *args, Py_ssize_t nargs) {
    if (!check_call(self, nargs, 7, "phrase_posteriors(left, right, lmax, lengths, forms, articles, log_priors)"))
        return NULL;
    Py_ssize_t lmax = PyLong_AsSsize_t(args[2]);
    if (lmax == -1 && PyErr_Occurred())
        return NULL;
    PyObject *left = NULL, *right = NULL, *lengths = NULL, *forms = NULL, *articles = NULL, *priors = NULL;
    PyObject *result = NULL, *post = NULL;
    PyObject **wforms = NULL;
    Word *win = NULL, *opt = NULL;
    double *z = NULL;
    Py_ssize_t nw = 0, made = 0;
    if (!(left = PySequence_Fast(args[0], "left must be a sequence"))
        || !(right = PySequence_Fast(args[1], "right must be a sequence"))
        || !(lengths = PySequence_Fast(args[3], "lengths must be a sequence"))
        || !(forms = PySequence_Fast(args[4], "forms must be a sequence"))
        || !(articles = PySequence_Fast(args[5], "articles must be a sequence"))
        || !(priors = PySequence_Fast(args[6], "log_priors must be a sequence")))
        goto done;
    Py_ssize_t nopt = PySequence_Fast_GET_SIZE(forms);
    if (lmax < 1 || nopt < 1 || PySequence_Fast_GET_SIZE(lengths) != nopt
        || PySequence_Fast_GET_SIZE(articles) != nopt || PySequence_Fast_GET_SIZE(priors) != nopt + 1) {
        PyErr_SetString(PyExc_ValueError, "phrase_posteriors: lmax >= 1, and one length, form, article and "
                                          "log-prior per option (and the keep's log-prior first) expected");
        goto done;
    }
    /* the window (detect.context_window): up to two tokens on each side, within the sentence */
    Py_ssize_t nl = PySequence_Fast_GET_SIZE(left), nr = PySequence_Fast_GET_SIZE(right);
    PyObject **lt = PySequence_Fast_ITEMS(left), **rt = PySequence_Fast_ITEMS(right);
    Py_ssize_t a = nl;
    while (a && nl - a < 2 && !ends_sentence(lt[a - 1]))
        a--;
    Py_ssize_t b = lmax;
    while (b < nr && b - lmax < 2 && !ends_sentence(rt[b - 1]))
        b++;
    Py_ssize_t i = nl - a;
    nw = i + (b < nr ? b : nr);
    wforms = PyMem_Calloc(nw + 1, sizeof(PyObject *));
    win = PyMem_Malloc((nw + 1) * sizeof(Word));
    z = PyMem_Malloc((nopt + 1) * sizeof(double));
    if (wforms == NULL || win == NULL || z == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (; made < nw; made++) {
        wforms[made] = lm_form(self, made < i ? lt[a + made] : rt[made - i]);
        if (wforms[made] == NULL || lookup_word(self, wforms[made], &win[made]) < 0)
            goto done;
    }
    /* the context: ("<s>", *window[:i])[-2:] (Decoder.posteriors_as_written) */
    long bos = word_id(self, S_BOS);
    if (bos == -2)
        goto done;
    long u = i >= 2 ? win[i - 2].id : (i == 1 ? bos : -1);
    long v = i >= 1 ? win[i - 1].id : bos;
    int article = i >= 1 && (PyUnicode_CompareWithASCIIString(wforms[i - 1], "a") == 0
                             || PyUnicode_CompareWithASCIIString(wforms[i - 1], "an") == 0);
    double keep = words_logprob(self, u, v, win + i, nw - i);
    PyObject **pr = PySequence_Fast_ITEMS(priors);
    z[0] = keep + PyFloat_AsDouble(pr[0]);
    if (z[0] == -1.0 && PyErr_Occurred())
        goto done;
    for (Py_ssize_t k = 0; k < nopt; k++) {
        PyObject *of = PySequence_Fast(PySequence_Fast_GET_ITEM(forms, k), "each option's forms must be a sequence");
        if (of == NULL)
            goto done;
        Py_ssize_t len = PyLong_AsSsize_t(PySequence_Fast_GET_ITEM(lengths, k));
        Py_ssize_t nf = PySequence_Fast_GET_SIZE(of);
        if (len < 1 || len > lmax) {
            Py_DECREF(of);
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "phrase_posteriors: an option's length must be in 1..lmax");
            goto done;
        }
        Py_ssize_t rest = i + len < nw ? nw - (i + len) : 0;
        Word *grown = PyMem_Realloc(opt, (nf + rest + 1) * sizeof(Word));
        if (grown == NULL) {
            Py_DECREF(of);
            PyErr_NoMemory();
            goto done;
        }
        opt = grown;
        for (Py_ssize_t j = 0; j < nf; j++) {
            if (lookup_word(self, PySequence_Fast_GET_ITEM(of, j), &opt[j]) < 0) {
                Py_DECREF(of);
                goto done;
            }
        }
        Py_DECREF(of);
        memcpy(opt + nf, win + nw - rest, rest * sizeof(Word));
        long ou = u, ov = v;
        if (article) {  /* the article follows the restored word: (left[0], its article) */
            ou = i >= 2 ? win[i - 2].id : bos;
            ov = word_id(self, PySequence_Fast_GET_ITEM(articles, k));
            if (ov == -2)
                goto done;
        }
        double p = PyFloat_AsDouble(pr[k + 1]);
        if (p == -1.0 && PyErr_Occurred())
            goto done;
        z[k + 1] = words_logprob(self, ou, ov, opt, nf + rest) + p;
    }
    /* the posteriors, and the first best option */
    if (!(post = softmax_list(z, nopt + 1)))
        goto done;
    Py_ssize_t best = 1;
    for (Py_ssize_t k = 2; k <= nopt; k++)
        if (z[k] > z[best])
            best = k;
    result = Py_BuildValue("(nO)", best, post);
done:
    for (Py_ssize_t k = 0; k < nw && wforms != NULL; k++)
        Py_XDECREF(wforms[k]);
    PyMem_Free(wforms);
    PyMem_Free(win);
    PyMem_Free(opt);
    PyMem_Free(z);
    Py_XDECREF(post);
    Py_XDECREF(left);
    Py_XDECREF(right);
    Py_XDECREF(lengths);
    Py_XDECREF(forms);
    Py_XDECREF(articles);
    Py_XDECREF(priors);
    return result;
}

static PyObject *window_tokens(PyObject *module, PyObject *const *args, Py_ssize_t nargs);

/* Decoder.key(right, 0): the tokens from right[0] on that decide its options: while they
 * are the start of a lexicon phrase, and one more when it ends in "s" (see Decoder.key). */
static PyObject *decoder_key(PyObject *right, PyObject *lengths, PyObject *prefixes) {
    Py_ssize_t nr = PyList_GET_SIZE(right);
    PyObject *first = PyList_GET_ITEM(right, 0);
    PyObject *lens = PyDict_GetItemWithError(lengths, first);
    if (lens == NULL && PyErr_Occurred())
        return NULL;
    Py_ssize_t j = 1;
    if (lens != NULL && PyTuple_Check(lens) && PyTuple_GET_SIZE(lens) > 0) {
        Py_ssize_t longest = PyLong_AsSsize_t(PyTuple_GET_ITEM(lens, 0));
        if (longest == -1 && PyErr_Occurred())
            return NULL;
        Py_ssize_t end = nr < longest ? nr : longest;
        while (j < end) {
            PyObject *head = PyList_GetSlice(right, 0, j + 1), *t = head ? PyList_AsTuple(head) : NULL;
            Py_XDECREF(head);
            if (t == NULL)
                return NULL;
            int in = PySet_Contains(prefixes, t);
            Py_DECREF(t);
            if (in < 0)
                return NULL;
            if (!in)
                break;
            j++;
        }
        if (j < end) {
            PyObject *w = PyList_GET_ITEM(right, j);
            Py_ssize_t len = PyUnicode_GET_LENGTH(w);
            if (len > 0 && PyUnicode_READ_CHAR(w, len - 1) == 's')
                j++;
        }
    } else if (lens != NULL && !PyTuple_Check(lens)) {
        PyErr_SetString(PyExc_TypeError, "scan_phrases: lengths must map a word to a tuple");
        return NULL;
    }
    PyObject *head = PyList_GetSlice(right, 0, j);
    if (head == NULL)
        return NULL;
    PyObject *key = PyList_AsTuple(head);
    Py_DECREF(head);
    return key;
}

static PyObject *Scorer_phrase_posteriors(Scorer *self, PyObject *const *args, Py_ssize_t nargs);

PyDoc_STRVAR(scan_phrases_doc,
"scan_phrases(low, starts, after, lengths, prefixes, plan, rho, read) -> list\n\n"
"SpinModel._scored_phrases in one call: for each offset of ``starts`` where a token starts,\n"
"the tokens around it (window_tokens, or ``read(low, start)`` where that answers None),\n"
"the phrase's key (Decoder.key, with the lexicon's ``lengths`` and ``prefixes``), its plan\n"
"(``plan(key, rho)``: a decode.Plan, whose fields are read by their place; skipped when\n"
"None) and its posteriors (phrase_posteriors). Returns\n"
"(start, end, spun, posterior, best, posteriors, plan) per phrase scored, ``spun`` the\n"
"best option's span as lexicon tokens joined by spaces and ``end`` where it ends.");

static PyObject *Scorer_scan_phrases(Scorer *self, PyObject *const *args, Py_ssize_t nargs) {
    if (!check_call(self, nargs, 8, "scan_phrases(low, starts, after, lengths, prefixes, plan, rho, read)"))
        return NULL;
    PyObject *low = args[0], *after = args[2], *lengths = args[3], *prefixes = args[4];
    PyObject *plan_for = args[5], *rho = args[6], *read = args[7];
    if (!PyUnicode_Check(low) || !PyList_Check(args[1]) || !PyDict_Check(lengths) || !PyAnySet_Check(prefixes)) {
        PyErr_SetString(PyExc_TypeError, "scan_phrases: low: str, starts: list, lengths: dict, prefixes: set");
        return NULL;
    }
    PyObject *out = PyList_New(0), *space = PyUnicode_FromString(" ");
    if (out == NULL || space == NULL)
        goto error;
    for (Py_ssize_t s_ = 0; s_ < PyList_GET_SIZE(args[1]); s_++) {
        PyObject *start = PyList_GET_ITEM(args[1], s_);
        PyObject *wargs[3] = {low, start, after};
        PyObject *got = window_tokens(NULL, wargs, 3);
        if (got == Py_None) {
            Py_DECREF(got);
            got = PyObject_CallFunctionObjArgs(read, low, start, NULL);
        }
        if (got == NULL)
            goto error;
        if (got == Py_None || got == Py_False) {
            Py_DECREF(got);
            continue;
        }
        PyObject *left = NULL, *right = NULL, *ends = NULL, *key = NULL, *plan = NULL, *scored = NULL, *row = NULL;
        PyObject *lmax = NULL, *lens = NULL, *forms = NULL, *arts = NULL, *priors = NULL, *spun = NULL;
        int ok = 0;
        if (!PyTuple_Check(got) || PyTuple_GET_SIZE(got) != 3) {
            PyErr_SetString(PyExc_TypeError, "scan_phrases: read must return (left, right, ends) or None");
            goto next;
        }
        left = PyTuple_GET_ITEM(got, 0);
        right = PyTuple_GET_ITEM(got, 1);
        ends = PyTuple_GET_ITEM(got, 2);
        if (!PyList_Check(right) || !PyList_Check(ends) || PyList_GET_SIZE(right) < 1) {
            PyErr_SetString(PyExc_TypeError, "scan_phrases: tokens must be non-empty lists");
            goto next;
        }
        if (!(key = decoder_key(right, lengths, prefixes)))
            goto next;
        PyObject *plan_args[2] = {key, rho};
        if (!(plan = PyObject_Vectorcall(plan_for, plan_args, 2, NULL)))
            goto next;
        if (plan == Py_None) {
            ok = 1;
            goto next;
        }
        if (!PyTuple_Check(plan) || PyTuple_GET_SIZE(plan) != 6) {
            PyErr_SetString(PyExc_TypeError, "scan_phrases: plan must return a decode.Plan or None");
            goto next;
        }
        /* decode.Plan's fields, in their order there (borrowed from the plan) */
        lmax = PyTuple_GET_ITEM(plan, 1);
        lens = PyTuple_GET_ITEM(plan, 2);
        priors = PyTuple_GET_ITEM(plan, 3);
        forms = PyTuple_GET_ITEM(plan, 4);
        arts = PyTuple_GET_ITEM(plan, 5);
        {
            PyObject *pargs[7] = {left, right, lmax, lens, forms, arts, priors};
            if (!(scored = Scorer_phrase_posteriors(self, pargs, 7)))
                goto next;
        }
        {
            Py_ssize_t best = PyLong_AsSsize_t(PyTuple_GET_ITEM(scored, 0));
            PyObject *post = PyTuple_GET_ITEM(scored, 1);
            if (!PyTuple_Check(lens) || best < 1 || best > PyTuple_GET_SIZE(lens)) {
                PyErr_SetString(PyExc_TypeError, "scan_phrases: the plan's lengths must be a tuple, one per option");
                goto next;
            }
            Py_ssize_t n = PyLong_AsSsize_t(PyTuple_GET_ITEM(lens, best - 1));
            if (n == -1 && PyErr_Occurred())
                goto next;
            if (n < 1 || n > PyList_GET_SIZE(right) || n > PyList_GET_SIZE(ends)) {
                PyErr_SetString(PyExc_ValueError, "scan_phrases: an option longer than the tokens read");
                goto next;
            }
            PyObject *span = PyList_GetSlice(right, 0, n);
            if (span == NULL)
                goto next;
            spun = PyUnicode_Join(space, span);
            Py_DECREF(span);
            if (spun == NULL)
                goto next;
            row = Py_BuildValue("(OOOOnOO)", start, PyList_GET_ITEM(ends, n - 1), spun,
                                PyList_GET_ITEM(post, best), best, post, plan);
            if (row == NULL || PyList_Append(out, row) < 0)
                goto next;
            ok = 1;
        }
    next:
        Py_XDECREF(row);
        Py_XDECREF(spun);
        Py_XDECREF(scored);
        Py_XDECREF(plan);
        Py_XDECREF(key);
        Py_DECREF(got);
        if (!ok)
            goto error;
    }
    Py_DECREF(space);
    return out;
error:
    Py_XDECREF(space);
    Py_XDECREF(out);
    return NULL;
}

/* ------------------------------------------------------------------ reversal */
/* A position's wording while a sentence is decoded (Decoder.decode_sentence's ``segs``):
 * ``n`` LM tokens from ``tok`` (borrowed from the arguments); none inside an earlier span. */
typedef struct {
    PyObject *const *tok;
    Py_ssize_t n;
} Seg;

/* A position with options, read from decode_sentence's ``positions`` (borrowed). */
typedef struct {
    Py_ssize_t i, lmax, nopt;
    PyObject *priors;   /* tuple of floats: keep, then each option */
    PyObject *lengths;  /* tuple of ints, one per option */
    PyObject *forms;    /* tuple of tuples of str: each option's LM tokens */
    PyObject *articles; /* tuple of str: the article each option takes */
} Pos;

/* Makes room for ``need`` token pointers in ``*buf``; -1 with MemoryError. */
static int reserve(PyObject ***buf, Py_ssize_t *cap, Py_ssize_t need) {
    if (need <= *cap)
        return 0;
    Py_ssize_t cap2 = need < 2 * *cap ? 2 * *cap : need;
    PyObject **b = PyMem_Realloc(*buf, cap2 * sizeof(PyObject *));
    if (b == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    *buf = b;
    *cap = cap2;
    return 0;
}

static int is_article(PyObject *tok) {
    return PyUnicode_CompareWithASCIIString(tok, "a") == 0 || PyUnicode_CompareWithASCIIString(tok, "an") == 0;
}

/* Decoder._lm_scores: the LM scores of keeping position ``p->i`` and of each option, over
 * the window of its longest span and the two tokens after it, in the wordings of ``segs``;
 * ``left`` holds ``nl`` (1 or 2) tokens, ``right`` ``nr`` (0 to 2). */
static int position_scores(const Scorer *s, const Pos *p, const Seg *segs, Py_ssize_t n, PyObject *keep,
                           PyObject **left, Py_ssize_t nl, PyObject **right, Py_ssize_t nr,
                           double lm_power, PyObject ***buf, Py_ssize_t *cap, double *scores) {
    Py_ssize_t end = p->i + p->lmax < n ? p->i + p->lmax : n;
    PyObject *u = nl == 2 ? left[0] : NULL, *v = left[nl - 1];
    for (Py_ssize_t o = -1; o < p->nopt; o++) {
        Py_ssize_t from, m = 0;
        PyObject *const *head;
        Py_ssize_t nhead;
        PyObject *vo = v;
        if (o < 0) {  /* keep the text as written */
            head = &keep;
            nhead = 1;
            from = p->i + 1;
        } else {
            PyObject *f = PyTuple_GET_ITEM(p->forms, o);
            from = p->i + PyLong_AsSsize_t(PyTuple_GET_ITEM(p->lengths, o));
            head = &PyTuple_GET_ITEM(f, 0);
            nhead = PyTuple_GET_SIZE(f);
            if (is_article(v))  /* the article will follow the restored word */
                vo = PyTuple_GET_ITEM(p->articles, o);
        }
        Py_ssize_t need = nhead + nr;
        for (Py_ssize_t k = from; k < end; k++)
            need += segs[k].n;
        if (reserve(buf, cap, need) < 0)
            return -1;
        for (Py_ssize_t t = 0; t < nhead; t++)
            (*buf)[m++] = head[t];
        for (Py_ssize_t k = from; k < end; k++)
            for (Py_ssize_t t = 0; t < segs[k].n; t++)
                (*buf)[m++] = segs[k].tok[t];
        for (Py_ssize_t t = 0; t < nr; t++)
            (*buf)[m++] = right[t];
        if (tokens_logprob(s, u, vo, *buf, m, &scores[o + 1]) < 0)
            return -1;
    }
    if (lm_power != 1.0)
        for (Py_ssize_t k = 0; k <= p->nopt; k++)
            scores[k] = lm_power * scores[k];
    return 0;
}

/* The memo key of a position in its context, as Decoder.decode_sentence's: its index, the
 * tokens before it, the wordings of the other positions its longest span covers and the
 * tokens after the span (the counts keep the parts apart). */
static PyObject *memo_key(const Pos *p, const Seg *segs, Py_ssize_t n, PyObject **left, Py_ssize_t nl,
                          PyObject **right, Py_ssize_t nr) {
    Py_ssize_t end = p->i + p->lmax < n ? p->i + p->lmax : n, size = 2 + nl + nr;
    for (Py_ssize_t k = p->i + 1; k < end; k++)
        size += 1 + segs[k].n;
    PyObject *key = PyTuple_New(size);
    if (key == NULL)
        return NULL;
    Py_ssize_t m = 0;
#define PUT(obj) do { PyObject *o_ = (obj); if (o_ == NULL) { Py_DECREF(key); return NULL; } PyTuple_SET_ITEM(key, m++, o_); } while (0)
#define PUT_BORROWED(obj) do { PyObject *o_ = (obj); Py_INCREF(o_); PyTuple_SET_ITEM(key, m++, o_); } while (0)
    PUT(PyLong_FromSsize_t(p->i));
    PUT(PyLong_FromSsize_t(nl));
    for (Py_ssize_t t = 0; t < nl; t++)
        PUT_BORROWED(left[t]);
    for (Py_ssize_t k = p->i + 1; k < end; k++) {
        PUT(PyLong_FromSsize_t(segs[k].n));
        for (Py_ssize_t t = 0; t < segs[k].n; t++)
            PUT_BORROWED(segs[k].tok[t]);
    }
    for (Py_ssize_t t = 0; t < nr; t++)
        PUT_BORROWED(right[t]);
#undef PUT
#undef PUT_BORROWED
    return key;
}

/* Reads one entry of ``positions`` into ``p``; -1 with TypeError or ValueError. */
static int read_position(PyObject *entry, Py_ssize_t n, Pos *p) {
    if (!PyTuple_Check(entry) || PyTuple_GET_SIZE(entry) != 6) {
        PyErr_SetString(PyExc_TypeError, "decode_sentence: a position is (i, lmax, log_priors, lengths, forms, articles)");
        return -1;
    }
    p->i = PyLong_AsSsize_t(PyTuple_GET_ITEM(entry, 0));
    p->lmax = PyLong_AsSsize_t(PyTuple_GET_ITEM(entry, 1));
    if ((p->i == -1 || p->lmax == -1) && PyErr_Occurred())
        return -1;
    p->priors = PyTuple_GET_ITEM(entry, 2);
    p->lengths = PyTuple_GET_ITEM(entry, 3);
    p->forms = PyTuple_GET_ITEM(entry, 4);
    p->articles = PyTuple_GET_ITEM(entry, 5);
    if (!PyTuple_Check(p->priors) || !PyTuple_Check(p->lengths) || !PyTuple_Check(p->forms)
            || !PyTuple_Check(p->articles)) {
        PyErr_SetString(PyExc_TypeError, "decode_sentence: a position's log_priors, lengths, forms and articles are tuples");
        return -1;
    }
    p->nopt = PyTuple_GET_SIZE(p->lengths);
    if (p->nopt < 1 || PyTuple_GET_SIZE(p->priors) != p->nopt + 1 || PyTuple_GET_SIZE(p->forms) != p->nopt
            || PyTuple_GET_SIZE(p->articles) != p->nopt || p->i < 0 || p->i >= n || p->lmax < 1) {
        PyErr_SetString(PyExc_ValueError, "decode_sentence: a position out of the sentence, or its tuples of unequal sizes");
        return -1;
    }
    for (Py_ssize_t o = 0; o < p->nopt; o++) {
        Py_ssize_t len = PyLong_AsSsize_t(PyTuple_GET_ITEM(p->lengths, o));
        PyObject *f = PyTuple_GET_ITEM(p->forms, o), *a = PyTuple_GET_ITEM(p->articles, o);
        if (len == -1 && PyErr_Occurred())
            return -1;
        if (len < 1 || len > p->lmax || p->i + len > n) {
            PyErr_SetString(PyExc_ValueError, "decode_sentence: an option's length out of the sentence or above lmax");
            return -1;
        }
        if (!PyTuple_Check(f) || !PyUnicode_Check(a)) {
            PyErr_SetString(PyExc_TypeError, "decode_sentence: an option's forms are a tuple, its article a str");
            return -1;
        }
        for (Py_ssize_t t = 0; t < PyTuple_GET_SIZE(f); t++)
            if (!PyUnicode_Check(PyTuple_GET_ITEM(f, t))) {
                PyErr_SetString(PyExc_TypeError, "decode_sentence: LM tokens must be str");
                return -1;
            }
    }
    return 0;
}

PyDoc_STRVAR(decode_sentence_doc,
"decode_sentence(forms, positions, min_posterior, lm_power, passes, memo) -> list\n\n"
"Decoder.decode_sentence's search in one call, the same choices and posteriors. ``forms``:\n"
"the sentence's LM tokens (a list of str). ``positions``: for each position with options,\n"
"left to right, (i, lmax, log_priors, lengths, forms, articles): its index, its longest\n"
"option's length, the channel log-priors of keeping and of each option, and each option's\n"
"length in tokens, LM tokens and article. ``memo`` (a dict) keeps the LM scores of a\n"
"position by context, for calls on the same sentence and positions. Returns (i, option\n"
"index from 0, posterior) for each decision, left to right.");

static PyObject *Scorer_decode_sentence(Scorer *self, PyObject *const *args, Py_ssize_t nargs) {
    if (!check_call(self, nargs, 6, "decode_sentence(forms, positions, min_posterior, lm_power, passes, memo)"))
        return NULL;
    PyObject *forms = args[0], *positions = args[1], *memo = args[5];
    if (!PyList_Check(forms) || !PyList_Check(positions) || !PyDict_Check(memo)) {
        PyErr_SetString(PyExc_TypeError, "decode_sentence: forms: list, positions: list, memo: dict");
        return NULL;
    }
    double min_posterior = PyFloat_AsDouble(args[2]), lm_power = PyFloat_AsDouble(args[3]);
    long passes = PyLong_AsLong(args[4]);
    if (((min_posterior == -1.0 || lm_power == -1.0) || passes == -1) && PyErr_Occurred())
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(forms), npos = PyList_GET_SIZE(positions);
    for (Py_ssize_t k = 0; k < n; k++)
        if (!PyUnicode_Check(PyList_GET_ITEM(forms, k))) {
            PyErr_SetString(PyExc_TypeError, "decode_sentence: LM tokens must be str");
            return NULL;
        }
    PyObject *out = NULL, **buf = NULL;
    Py_ssize_t cap = 0, maxopt = 1;
    Seg *segs = PyMem_Calloc(n ? n : 1, sizeof(Seg));
    Pos *pos = PyMem_Calloc(npos ? npos : 1, sizeof(Pos));
    Py_ssize_t *chosen = PyMem_Malloc((n ? n : 1) * sizeof(Py_ssize_t));  /* option index, or -1 */
    Py_ssize_t *span = PyMem_Malloc((n ? n : 1) * sizeof(Py_ssize_t));    /* its length in tokens */
    double *post_of = PyMem_Malloc((n ? n : 1) * sizeof(double)), *scores = NULL;
    if (!segs || !pos || !chosen || !span || !post_of) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t k = 0; k < npos; k++) {
        if (read_position(PyList_GET_ITEM(positions, k), n, &pos[k]) < 0)
            goto done;
        if (pos[k].nopt > maxopt)
            maxopt = pos[k].nopt;
    }
    if (!(scores = PyMem_Malloc((maxopt + 1) * sizeof(double)))) {
        PyErr_NoMemory();
        goto done;
    }
    PyObject *const *tok = &PyList_GET_ITEM(forms, 0);
    for (Py_ssize_t k = 0; k < n; k++) {
        segs[k].tok = &tok[k];
        segs[k].n = 1;
        chosen[k] = -1;
    }
    Py_ssize_t nchosen = 0;
    for (long pass = 0; pass < passes; pass++) {
        if (pass && !nchosen)
            break;  /* nothing changed the context: another pass would decide the same */
        for (Py_ssize_t q = 0; q < npos; q++) {
            const Pos *p = &pos[q];
            Py_ssize_t i = p->i;
            if (segs[i].n == 0)
                continue;  /* inside the span of an earlier decision */
            if (chosen[i] >= 0) {  /* judge it again next to the text as written */
                for (Py_ssize_t k = i; k < i + span[i]; k++) {
                    segs[k].tok = &tok[k];
                    segs[k].n = 1;
                }
                chosen[i] = -1;
                nchosen--;
            }
            /* the two tokens before (after "<s>" at the sentence start) and after the span */
            PyObject *left[2], *right[2];
            Py_ssize_t nl = 0, nr = 0, k = i - 1;
            for (; k >= 0 && nl < 2; k--)
                for (Py_ssize_t t = segs[k].n - 1; t >= 0 && nl < 2; t--)
                    left[nl++] = segs[k].tok[t];
            if (k < 0 && nl < 2)
                left[nl++] = S_BOS;
            if (nl == 2) {  /* gathered backwards */
                PyObject *x = left[0];
                left[0] = left[1];
                left[1] = x;
            }
            for (k = i + p->lmax; k < n && nr < 2; k++)
                for (Py_ssize_t t = 0; t < segs[k].n && nr < 2; t++)
                    right[nr++] = segs[k].tok[t];
            PyObject *key = memo_key(p, segs, n, left, nl, right, nr);
            if (key == NULL)
                goto done;
            PyObject *known = PyDict_GetItemWithError(memo, key);
            Py_ssize_t nbytes = (p->nopt + 1) * (Py_ssize_t)sizeof(double);
            if (known != NULL && PyBytes_Check(known) && PyBytes_GET_SIZE(known) == nbytes) {
                memcpy(scores, PyBytes_AS_STRING(known), nbytes);
            } else if (PyErr_Occurred()
                       || position_scores(self, p, segs, n, tok[i], left, nl, right, nr, lm_power, &buf, &cap, scores) < 0) {
                Py_DECREF(key);
                goto done;
            } else {
                PyObject *b = PyBytes_FromStringAndSize((const char *)scores, nbytes);
                int bad = b == NULL || PyDict_SetItem(memo, key, b) < 0;
                Py_XDECREF(b);
                if (bad) {
                    Py_DECREF(key);
                    goto done;
                }
            }
            Py_DECREF(key);
            /* the posteriors (as posteriors() gives them) and the first best of them */
            for (Py_ssize_t o = 0; o <= p->nopt; o++) {
                double prior = PyFloat_AsDouble(PyTuple_GET_ITEM(p->priors, o));
                if (prior == -1.0 && PyErr_Occurred())
                    goto done;
                scores[o] += prior;
            }
            softmax(scores, p->nopt + 1);
            Py_ssize_t best = 0;
            double top = scores[0];
            for (Py_ssize_t o = 1; o <= p->nopt; o++)
                if (scores[o] > top) {
                    top = scores[o];
                    best = o;
                }
            if (best > 0 && top >= min_posterior) {
                Py_ssize_t o = best - 1, len = PyLong_AsSsize_t(PyTuple_GET_ITEM(p->lengths, o));
                for (Py_ssize_t k2 = i + 1; k2 < i + len; k2++)  /* drop the decisions this span covers */
                    if (chosen[k2] >= 0) {
                        for (Py_ssize_t kk = k2; kk < k2 + span[k2]; kk++) {
                            segs[kk].tok = &tok[kk];
                            segs[kk].n = 1;
                        }
                        chosen[k2] = -1;
                        nchosen--;
                    }
                PyObject *f = PyTuple_GET_ITEM(p->forms, o);
                chosen[i] = o;
                span[i] = len;
                post_of[i] = top;
                nchosen++;
                segs[i].tok = &PyTuple_GET_ITEM(f, 0);
                segs[i].n = PyTuple_GET_SIZE(f);
                for (Py_ssize_t k2 = i + 1; k2 < i + len; k2++)
                    segs[k2].n = 0;
            }
        }
    }
    if (!(out = PyList_New(0)))
        goto done;
    for (Py_ssize_t k = 0; k < n; k++) {
        if (chosen[k] < 0)
            continue;
        PyObject *row = Py_BuildValue("(nnd)", k, chosen[k], post_of[k]);
        if (row == NULL || PyList_Append(out, row) < 0) {
            Py_XDECREF(row);
            Py_CLEAR(out);
            goto done;
        }
        Py_DECREF(row);
    }
done:
    PyMem_Free(segs);
    PyMem_Free(pos);
    PyMem_Free(chosen);
    PyMem_Free(span);
    PyMem_Free(post_of);
    PyMem_Free(scores);
    PyMem_Free(buf);
    return out;
}


/* ------------------------------------------------------------------ words of a text */
/* Character classes of Python's re module for str patterns (\w: str.isalnum() or "_";
 * \d: str.isdecimal()), as detect._WORD reads them. */
enum { OTHER = 0, DIGIT = 1, LETTER = 2, UNDERSCORE = 4, APOSTROPHE = 8 }; /* bits, for the tests below */

/* The classes of the ASCII characters, by code. */
static const unsigned char ASCII_CLASS[128] = {
    ['0'] = DIGIT, ['1'] = DIGIT, ['2'] = DIGIT, ['3'] = DIGIT, ['4'] = DIGIT, ['5'] = DIGIT, ['6'] = DIGIT,
    ['7'] = DIGIT, ['8'] = DIGIT, ['9'] = DIGIT, ['_'] = UNDERSCORE, ['\''] = APOSTROPHE,
#define L(c) [c] = LETTER, [c - 'a' + 'A'] = LETTER
    L('a'), L('b'), L('c'), L('d'), L('e'), L('f'), L('g'), L('h'), L('i'), L('j'), L('k'), L('l'), L('m'),
    L('n'), L('o'), L('p'), L('q'), L('r'), L('s'), L('t'), L('u'), L('v'), L('w'), L('x'), L('y'), L('z'),
#undef L
};

static inline int char_class(Py_UCS4 c) {
    if (c < 128)
        return ASCII_CLASS[c];
    if (c == 0x2019)
        return APOSTROPHE;
    if (Py_UNICODE_ISDECIMAL(c))
        return DIGIT;
    return Py_UNICODE_ISALNUM(c) ? LETTER : OTHER;
}

#define IS_WORD(k) ((k) & (DIGIT | LETTER | UNDERSCORE)) /* \w */
#define IS_LETTERISH(k) ((k) & (LETTER | UNDERSCORE))    /* [^\W\d] */

/* Where the word that goes on at ``j`` ends: \w*(?:['’]\w+)* read from ``j`` with the
 * classes above, no further than ``stop`` (the character after an apostrophe is looked
 * at up to ``n``). detect._WORD's words and lexicon._KEY's word keys both end there.
 * With ``h``, the characters read are hashed into ``*h`` (FNV-1a, going on), and with
 * ``seen`` their classes or-ed into ``*seen`` (either may be NULL: a constant where it is
 * inlined). */
static ALWAYS_INLINE Py_ssize_t word_end(int kind, const void *data, Py_ssize_t n, Py_ssize_t stop,
                                        Py_ssize_t j, uint64_t *h, int *seen) {
    for (;;) {
        int kj = OTHER;
        Py_UCS4 c = 0;
        while (j < stop && IS_WORD(kj = char_class(c = PyUnicode_READ(kind, data, j)))) {
            if (h != NULL)
                *h = (*h ^ c) * FNV_PRIME;
            if (seen != NULL)
                *seen |= kj;
            j++;
        }
        if (!(j + 1 < n && kj == APOSTROPHE && IS_WORD(char_class(PyUnicode_READ(kind, data, j + 1)))))
            return j;
        if (h != NULL)
            *h = (*h ^ c) * FNV_PRIME; /* the apostrophe */
        if (seen != NULL)
            *seen |= kj;
        j++;
    }
}

PyDoc_STRVAR(word_stats_doc,
"word_stats(text, vocabulary, sample, share) -> (words, english)\n\n"
"detect.word_stats: how many words ``text`` holds (the matches of detect._WORD), and\n"
"whether at least ``share`` of its first ``sample`` words that start with a letter\n"
"(str.isalpha) are keys of the dict ``vocabulary`` (False when none does).");

typedef struct {
    Py_ssize_t words, lettered, known;
    int decided;  /* the sample is English whatever its other words are */
} WordStats;

/* The scan of word_stats over ``data`` of one kind (a constant where it is inlined, so
 * the compiler makes one loop per kind); -1 with an exception set. */
static ALWAYS_INLINE int scan_words(PyObject *text, int kind, const void *data, PyObject *vocab,
                                    const Scorer *scorer, Py_ssize_t sample, double share, WordStats *out) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    /* _WORD: (?<![^\W\d])(?<![^\W\d]['’])[^\W\d_]\w*(?:['’]\w+)*, matched left to right;
     * k1, k2: the classes of the two characters before i */
    int k1 = OTHER, k2 = OTHER;
    Py_ssize_t i = 0;
    while (i < n) {
        int k = char_class(PyUnicode_READ(kind, data, i));
        if (k != LETTER || IS_LETTERISH(k1) || (k1 == APOSTROPHE && IS_LETTERISH(k2))) {
            k2 = k1;
            k1 = k;
            i++;
            continue;
        }
        Py_ssize_t j = word_end(kind, data, n, n, i + 1, NULL, NULL);
        if (out->words < sample && !out->decided && Py_UNICODE_ISALPHA(PyUnicode_READ(kind, data, i))) {
            out->lettered++;
            int found;
            if (scorer != NULL) {
                found = vocab_find(scorer, kind, data, i, j) >= 0;
            } else {
                PyObject *w = PyUnicode_Substring(text, i, j);
                if (w == NULL)
                    return -1;
                found = PyDict_Contains(vocab, w);
                Py_DECREF(w);
                if (found < 0)
                    return -1;
            }
            out->known += found;
            /* English even if every word left in the sample is an unknown one */
            if ((double)out->known >= share * (double)(out->lettered + sample - out->words - 1))
                out->decided = 1;
        }
        out->words++;
        /* the classes of the two characters before j */
        k1 = char_class(PyUnicode_READ(kind, data, j - 1));
        k2 = j >= 2 ? char_class(PyUnicode_READ(kind, data, j - 2)) : OTHER;
        i = j;
    }
    return 0;
}

/* word_stats over ``text``, its words looked up in the dict ``vocab`` or, when ``scorer``
 * is not NULL, in the scorer's vocabulary. */
static PyObject *count_words(PyObject *text, PyObject *vocab, const Scorer *scorer, PyObject *sample_obj,
                             PyObject *share_obj) {
    Py_ssize_t sample = PyLong_AsSsize_t(sample_obj);
    if (sample == -1 && PyErr_Occurred())
        return NULL;
    double share = PyFloat_AsDouble(share_obj);
    if (share == -1.0 && PyErr_Occurred())
        return NULL;
    WordStats st = {0, 0, 0, 0};
    const void *data = PyUnicode_DATA(text);
    int ok;
    switch (PyUnicode_KIND(text)) {
    case PyUnicode_1BYTE_KIND:
        ok = scan_words(text, PyUnicode_1BYTE_KIND, data, vocab, scorer, sample, share, &st);
        break;
    case PyUnicode_2BYTE_KIND:
        ok = scan_words(text, PyUnicode_2BYTE_KIND, data, vocab, scorer, sample, share, &st);
        break;
    default:
        ok = scan_words(text, PyUnicode_4BYTE_KIND, data, vocab, scorer, sample, share, &st);
        break;
    }
    if (ok < 0)
        return NULL;
    int english = st.decided || (st.lettered > 0 && (double)st.known >= share * (double)st.lettered);
    return Py_BuildValue("(nO)", st.words, english ? Py_True : Py_False);
}

static PyObject *word_stats(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 4 || !PyUnicode_Check(args[0]) || !PyDict_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "word_stats takes (text: str, vocabulary: dict, sample: int, share: float)");
        return NULL;
    }
    return count_words(args[0], args[1], NULL, args[2], args[3]);
}

PyDoc_STRVAR(Scorer_word_stats_doc,
"word_stats(text, sample, share) -> (words, english)\n\n"
"The module's word_stats with this scorer's vocabulary (its ``ids``), looked up without\n"
"making each word a str.");

static PyObject *Scorer_word_stats(Scorer *self, PyObject *const *args, Py_ssize_t nargs) {
    if (!check_call(self, nargs, 3, "word_stats(text, sample, share)"))
        return NULL;
    if (!PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "word_stats: text must be a str");
        return NULL;
    }
    return count_words(args[0], NULL, self, args[1], args[2]);
}

/* ------------------------------------------------------------------ phrase starts */
/* Marks the hash of a key that is the first of a longer phrase's keys (lexicon._FIRST_OF_MORE). */
#define FIRST_OF_MORE 0x9E3779B97F4A7C15ULL

/* Reads the key at ``i``, a character that is not white space: the run of digits there,
 * or of word characters with inner apostrophes (\w+(?:['’]\w+)*), or that one other
 * character; hashes its code points into ``*h`` (FNV-1a) and returns where it ends, or
 * -1 when it is longer than ``limit`` characters (no phrase has such a key: stopping
 * there keeps the scan linear in a long run of digits, where every digit is a place).
 * ``*letters`` (unless NULL) is set to whether the key is a word of letters (and "_")
 * only. A word is hashed as word_end reads it. */
static ALWAYS_INLINE Py_ssize_t read_key(int kind, const void *data, Py_ssize_t n, Py_ssize_t i, uint64_t *h,
                                         Py_ssize_t limit, int *letters) {
    /* characters are read up to one more than the limit, to see that it is over */
    Py_ssize_t stop = n - i > limit ? i + limit + 1 : n;
    Py_UCS4 c = PyUnicode_READ(kind, data, i);
    int k = char_class(c);
    uint64_t x = (*h ^ c) * FNV_PRIME;
    Py_ssize_t j = i + 1;
    int seen = k; /* the classes of the key's characters */
    if (k == DIGIT) {
        while (j < stop && char_class(c = PyUnicode_READ(kind, data, j)) == DIGIT) {
            x = (x ^ c) * FNV_PRIME;
            j++;
        }
    } else if (IS_LETTERISH(k)) {
        j = word_end(kind, data, n, stop, j, &x, &seen);
    }
    *h = x;
    if (letters != NULL)
        *letters = IS_LETTERISH(k) && !(seen & ~(LETTER | UNDERSCORE));
    return j - i > limit ? -1 : j;
}

/* Whether the hash ``h`` (0 stands for 1) is in the open-addressing ``table``. */
static inline int in_table(const uint64_t *table, uint64_t mask, uint64_t h) {
    if (h == 0)
        h = 1;
    for (uint64_t slot = h & mask; table[slot]; slot = (slot + 1) & mask)
        if (table[slot] == h)
            return 1;
    return 0;
}

/* The phrases as a trie of keys (lexicon._key_trie): ``nodes[k]`` is a dict from a key to
 * (the node after it when white space may come before it, the node after it when it must
 * follow the previous key directly, inside one token), -1 for none; ``ends[k]`` is 1 where
 * a phrase ends. */
typedef struct {
    PyObject *text, *nodes;
    const char *ends;
    Py_ssize_t n_nodes, limit;
} Trie;

/* Whether a phrase of the trie matches from node ``node``, the previous key ending at
 * ``j``: 1, 0, or -1 with an exception set. As lexicon.PhraseFinder's pattern does: white
 * space is optional between tokens and not allowed inside one, and a key is read whole
 * (a word or number that goes on is not the phrase's). */
static int match_from(const Trie *t, int kind, const void *data, Py_ssize_t n, Py_ssize_t j, Py_ssize_t node) {
    if (node < 0 || node >= t->n_nodes) {
        PyErr_SetString(PyExc_ValueError, "phrase trie: node out of range");
        return -1;
    }
    if (t->ends[node])
        return 1;
    PyObject *children = PyList_GET_ITEM(t->nodes, node);
    if (!PyDict_Check(children)) {
        PyErr_SetString(PyExc_TypeError, "phrase trie: nodes must be dicts");
        return -1;
    }
    if (PyDict_GET_SIZE(children) == 0)
        return 0;
    Py_ssize_t k = j;
    while (k < n && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, k)))
        k++;
    if (k >= n)
        return 0;
    uint64_t unused = FNV_OFFSET;
    Py_ssize_t end = read_key(kind, data, n, k, &unused, t->limit, NULL);
    if (end < 0)
        return 0;
    PyObject *key = PyUnicode_Substring(t->text, k, end);
    if (key == NULL)
        return -1;
    PyObject *next = PyDict_GetItemWithError(children, key);
    Py_DECREF(key);
    if (next == NULL)
        return PyErr_Occurred() ? -1 : 0;
    if (!PyTuple_Check(next) || PyTuple_GET_SIZE(next) != 2) {
        PyErr_SetString(PyExc_TypeError, "phrase trie: a key must map to a pair of nodes");
        return -1;
    }
    Py_ssize_t spaced = PyLong_AsSsize_t(PyTuple_GET_ITEM(next, 0)), glued = PyLong_AsSsize_t(PyTuple_GET_ITEM(next, 1));
    if ((spaced == -1 || glued == -1) && PyErr_Occurred())
        return -1;
    int r = 0;
    if (glued >= 0 && k == j)
        r = match_from(t, kind, data, n, end, glued);
    if (r == 0 && spaced >= 0)
        r = match_from(t, kind, data, n, end, spaced);
    return r;
}

/* The scan of phrase_starts over ``data`` of one kind. */
static ALWAYS_INLINE int scan_starts(PyObject *text, int kind, const void *data, const uint64_t *table,
                                     uint64_t mask, const Trie *trie, PyObject *out) {
    Py_ssize_t limit = trie->limit;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int prev = OTHER;  /* the class of the character before i */
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        int k = char_class(c);
        int after_letter = IS_LETTERISH(prev);
        prev = k;
        if (after_letter || (k == OTHER && Py_UNICODE_ISSPACE(c)))
            continue;
        uint64_t h = FNV_OFFSET;
        int letters;
        Py_ssize_t j = read_key(kind, data, n, i, &h, limit, &letters);
        if (j < 0)
            continue;
        int found = in_table(table, mask, h);
        if (!found && in_table(table, mask, h ^ FIRST_OF_MORE)) {
            /* the first of several keys: the second decides */
            Py_ssize_t m = j;
            while (m < n && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, m)))
                m++;
            if (m < n) {
                h = (h ^ ' ') * FNV_PRIME;
                found = read_key(kind, data, n, m, &h, limit, NULL) >= 0 && in_table(table, mask, h);
            }
        }
        if (found && (found = match_from(trie, kind, data, n, i, 0)) < 0)
            return -1;
        if (found) {
            PyObject *pos = PyLong_FromSsize_t(i);
            if (pos == NULL || PyList_Append(out, pos) < 0) {
                Py_XDECREF(pos);
                return -1;
            }
            Py_DECREF(pos);
        }
        if (letters) {
            /* inside a word of letters, each character follows a letter: none starts a key */
            i = j - 1;
            prev = LETTER;
        }
    }
    return 0;
}

PyDoc_STRVAR(phrase_starts_doc,
"phrase_starts(text, table, limit, nodes, ends) -> list\n\n"
"The offsets in ``text`` where a phrase starts, as lexicon.PhraseFinder's pattern finds\n"
"them, in increasing order: where the character before is not a letter and the phrase's\n"
"first keys are (``table``: their hashes, see lexicon._start_keys and\n"
"lexicon._hash_table; ``limit``: the length of the longest key), the phrases' trie of\n"
"keys (``nodes`` and ``ends``, see lexicon._key_trie) is matched.");

static PyObject *phrase_starts(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 5 || !PyUnicode_Check(args[0]) || !PyList_Check(args[3]) || !PyBytes_Check(args[4])) {
        PyErr_SetString(PyExc_TypeError,
                        "phrase_starts takes (text: str, table, limit: int, nodes: list, ends: bytes)");
        return NULL;
    }
    Trie trie = {args[0], args[3], PyBytes_AS_STRING(args[4]), PyList_GET_SIZE(args[3]),
                 PyLong_AsSsize_t(args[2])};
    if (trie.limit == -1 && PyErr_Occurred())
        return NULL;
    if (PyBytes_GET_SIZE(args[4]) != trie.n_nodes || trie.n_nodes < 1) {
        PyErr_SetString(PyExc_ValueError, "phrase_starts: one end flag per node, and a root node, expected");
        return NULL;
    }
    Py_buffer view;
    if (get_buffer(args[1], &view, 8, "table") < 0)
        return NULL;
    Py_ssize_t size = view.len / 8;
    if (size < 1 || (size & (size - 1))) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "table: a power of two of 64-bit slots expected");
        return NULL;
    }
    PyObject *text = args[0], *out = PyList_New(0);
    if (out != NULL) {
        const uint64_t *table = (const uint64_t *)view.buf;
        const void *data = PyUnicode_DATA(text);
        uint64_t mask = (uint64_t)size - 1;
        int ok;
        switch (PyUnicode_KIND(text)) {
        case PyUnicode_1BYTE_KIND:
            ok = scan_starts(text, PyUnicode_1BYTE_KIND, data, table, mask, &trie, out);
            break;
        case PyUnicode_2BYTE_KIND:
            ok = scan_starts(text, PyUnicode_2BYTE_KIND, data, table, mask, &trie, out);
            break;
        default:
            ok = scan_starts(text, PyUnicode_4BYTE_KIND, data, table, mask, &trie, out);
            break;
        }
        if (ok < 0)
            Py_CLEAR(out);
    }
    PyBuffer_Release(&view);
    return out;
}

/* ------------------------------------------------------------------ tokens around a place */
/* The tokens of spin.tokens.TOKEN_RE (the regex module's \d, \w and \s), for the
 * characters whose class is certain here: ASCII letters, digits, "_", white space and
 * punctuation (not other control characters), Latin letters U+00C0..U+024F, the no-break
 * space and common typographic marks. Any other character makes window_tokens answer
 * None, and the caller tokenises with the regex module. */
enum { T_BAD = 0, T_SPACE, T_DIGIT, T_WORD, T_APOS, T_SYMBOL };

static int token_class(Py_UCS4 c) {
    if (c < 128) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
            return T_WORD;
        if (c >= '0' && c <= '9')
            return T_DIGIT;
        if (c == ' ' || (c >= '\t' && c <= '\r'))
            return T_SPACE;
        if (c == '\'')
            return T_APOS;
        return c < 32 || c == 127 ? T_BAD : T_SYMBOL;
    }
    if (c >= 0xC0 && c <= 0x24F)
        return (c == 0xD7 || c == 0xF7) ? T_SYMBOL : T_WORD;
    switch (c) {
    case 0xA0:
        return T_SPACE;
    case 0x2019:
        return T_APOS;
    case 0xA3: case 0xA9: case 0xAB: case 0xAE: case 0xB0: case 0xBB: case 0x2013: case 0x2014:
    case 0x2018: case 0x201C: case 0x201D: case 0x2022: case 0x2026: case 0x20AC: case 0x2122:
        return T_SYMBOL;
    default:
        return T_BAD;
    }
}

#define T_IS_WORD(k) ((k) == T_WORD || (k) == T_DIGIT)

typedef struct {
    int kind;
    const void *data;
    Py_ssize_t end;  /* the text ends here for the tokenizer (the regex's endpos) */
} Text;

static inline int tclass(const Text *t, Py_ssize_t i) {
    return token_class(PyUnicode_READ(t->kind, t->data, i));
}

/* The next token at or after ``i`` (white space skipped): its start in ``*start``, and
 * its end returned; -1 at the end of the text, -2 at an uncertain character. */
static Py_ssize_t next_token(const Text *t, Py_ssize_t i, Py_ssize_t *start) {
    int k = T_SPACE;
    while (i < t->end && (k = tclass(t, i)) == T_SPACE)
        i++;
    if (i >= t->end)
        return -1;
    if (k == T_BAD)
        return -2;
    *start = i;
    Py_ssize_t j = i + 1;
    if (k == T_DIGIT) {  /* \d+(?:[.,:]\d+)* */
        while (j < t->end && (k = tclass(t, j)) == T_DIGIT)
            j++;
        while (j + 1 < t->end) {
            Py_UCS4 c = PyUnicode_READ(t->kind, t->data, j);
            if (!(c == '.' || c == ',' || c == ':'))
                break;
            if ((k = tclass(t, j + 1)) != T_DIGIT) {
                if (k == T_BAD)
                    return -2;
                break;
            }
            j += 2;
            while (j < t->end && (k = tclass(t, j)) == T_DIGIT)
                j++;
        }
        if (j < t->end && tclass(t, j) == T_BAD)
            return -2;
    } else if (k == T_WORD) {  /* \w+(?:['’]\w+)* */
        for (;;) {
            while (j < t->end && T_IS_WORD(k = tclass(t, j)))
                j++;
            if (j < t->end && k == T_BAD)
                return -2;
            if (!(j + 1 < t->end && k == T_APOS && T_IS_WORD(tclass(t, j + 1))))
                break;
            j += 2;
        }
        if (j + 1 < t->end && k == T_APOS && tclass(t, j + 1) == T_BAD)
            return -2;
    }
    return j;  /* a symbol is one character */
}

/* detect._restart: where to start tokenising to see the tokens of the ``width``
 * characters before ``start`` as the whole text's tokenisation does; -2 at an uncertain
 * character. */
static Py_ssize_t restart(const Text *t, Py_ssize_t start, Py_ssize_t width) {
    Py_ssize_t lo = start - width;
    if (lo <= 0)
        return 0;
    for (Py_ssize_t i = lo; i < start; i++) {
        int k = tclass(t, i);
        if (k == T_SPACE)
            return i;
        if (k == T_BAD)
            return -2;
    }
    return lo;
}

static PyObject *substring_list(PyObject *text, const Py_ssize_t *starts, const Py_ssize_t *ends, Py_ssize_t n) {
    PyObject *out = PyList_New(n);
    for (Py_ssize_t k = 0; out != NULL && k < n; k++) {
        PyObject *s = PyUnicode_Substring(text, starts[k], ends[k]);
        if (s == NULL)
            Py_CLEAR(out);
        else
            PyList_SET_ITEM(out, k, s);
    }
    return out;
}

#define MAX_AFTER 64

PyDoc_STRVAR(window_tokens_doc,
"window_tokens(text, start, after) -> (left, right, ends) | False | None\n\n"
"The tokens around offset ``start`` of ``text`` as spin detection reads them: False\n"
"where no token starts there (detect.starts_token); else the last two tokens before it\n"
"(detect.tokens_before), and up to ``after`` tokens from it on with their end offsets\n"
"(detect.tokens_pattern). None when a character near ``start`` is one whose token class\n"
"this code does not know: the caller then tokenises with the regex module.");

static PyObject *window_tokens(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3 || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "window_tokens takes (text: str, start: int, after: int)");
        return NULL;
    }
    PyObject *text = args[0];
    Py_ssize_t start = PyLong_AsSsize_t(args[1]), after = PyLong_AsSsize_t(args[2]);
    if ((start == -1 || after == -1) && PyErr_Occurred())
        return NULL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (start < 0 || start >= n || after < 1 || after > MAX_AFTER) {
        PyErr_SetString(PyExc_ValueError, "window_tokens: start must be in the text, after in 1..64");
        return NULL;
    }
    Text t = {PyUnicode_KIND(text), PyUnicode_DATA(text), n};
    Py_ssize_t ts, te;
    /* detect.starts_token: after a character that a token may go on (detect._GLUE), the
     * text from detect._restart on is tokenised to see whether a token starts here */
    if (start > 0) {
        Py_UCS4 prev = PyUnicode_READ(t.kind, t.data, start - 1);
        int k = token_class(prev);
        if (k == T_BAD)
            Py_RETURN_NONE;
        if (T_IS_WORD(k) || k == T_APOS || prev == '.' || prev == ',' || prev == ':') {
            Py_ssize_t lo = restart(&t, start, widths[0]);
            if (lo == -2)
                Py_RETURN_NONE;
            Text near = {t.kind, t.data, start + widths[0] < n ? start + widths[0] : n};
            for (;;) {
                te = next_token(&near, lo, &ts);
                if (te == -2)
                    Py_RETURN_NONE;
                if (te == -1 || ts > start)
                    Py_RETURN_FALSE;
                if (ts == start)
                    break;
                lo = te;
            }
        }
    }
    /* detect.tokens_before(text, start, 2) */
    Py_ssize_t ls[2], le[2], nl = 0;
    for (int w = 0; w < 3; w++) {
        Py_ssize_t lo0 = restart(&t, start, widths[w]), lo = lo0;
        if (lo0 == -2)
            Py_RETURN_NONE;
        Text before = {t.kind, t.data, start};
        nl = 0;
        while ((te = next_token(&before, lo, &ts)) >= 0) {
            if (nl == 2) {
                ls[0] = ls[1];
                le[0] = le[1];
                nl = 1;
            }
            ls[nl] = ts;
            le[nl] = te;
            nl++;
            lo = te;
        }
        if (te == -2)
            Py_RETURN_NONE;
        if (nl >= 2 || lo0 == 0)
            break;
    }
    /* detect.tokens_pattern(after): up to ``after`` tokens from start on */
    Py_ssize_t rs[MAX_AFTER], re_[MAX_AFTER], nr = 0, i = start;
    while (nr < after && (te = next_token(&t, i, &ts)) >= 0) {
        rs[nr] = ts;
        re_[nr] = te;
        nr++;
        i = te;
    }
    if (te == -2 && nr < after)
        Py_RETURN_NONE;
    PyObject *left = substring_list(text, ls, le, nl), *right = NULL, *ends = NULL, *result = NULL;
    if (left != NULL && (right = substring_list(text, rs, re_, nr)) != NULL && (ends = PyList_New(nr)) != NULL) {
        for (Py_ssize_t k = 0; k < nr; k++) {
            PyObject *e = PyLong_FromSsize_t(re_[k]);
            if (e == NULL)
                goto done;
            PyList_SET_ITEM(ends, k, e);
        }
        result = PyTuple_Pack(3, left, right, ends);
    }
done:
    Py_XDECREF(left);
    Py_XDECREF(right);
    Py_XDECREF(ends);
    return result;
}

/* ------------------------------------------------------------------ posteriors */
PyDoc_STRVAR(posteriors_doc,
"posteriors(scores, log_priors) -> list\n\n"
"decode._posteriors: the softmax of scores[k] + log_priors[k] (two sequences of floats of\n"
"the same length), computed as decode._softmax does.");

static PyObject *posteriors(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "posteriors takes (scores, log_priors)");
        return NULL;
    }
    PyObject *sc = NULL, *pr = NULL, *out = NULL;
    double *z = NULL;
    if (!(sc = PySequence_Fast(args[0], "scores must be a sequence"))
        || !(pr = PySequence_Fast(args[1], "log_priors must be a sequence")))
        goto done;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(sc);
    if (n < 1 || PySequence_Fast_GET_SIZE(pr) != n) {
        PyErr_SetString(PyExc_ValueError, "posteriors: as many log-priors as scores (at least one) expected");
        goto done;
    }
    if (!(z = PyMem_Malloc(n * sizeof(double)))) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        double a = PyFloat_AsDouble(PySequence_Fast_GET_ITEM(sc, k));
        double b = PyFloat_AsDouble(PySequence_Fast_GET_ITEM(pr, k));
        if ((a == -1.0 || b == -1.0) && PyErr_Occurred())
            goto done;
        z[k] = a + b;
    }
    out = softmax_list(z, n);
done:
    PyMem_Free(z);
    Py_XDECREF(sc);
    Py_XDECREF(pr);
    return out;
}

/* ------------------------------------------------------------------ lowercasing */
PyDoc_STRVAR(lowercase_doc,
"lowercase(text) -> str or None\n\n"
"detect.lowercase: ``text`` lowercased (str.lower), with U+2019 as an apostrophe, one\n"
"character for one. None when the text holds a character whose lowercase str.lower\n"
"makes from its context or as two characters (capital sigma, dotted capital I): the\n"
"caller lowercases that text in Python.");

/* The lowercase of ``c`` as detect.lowercase gives it, or 0 for a character that the
 * Python code must lowercase (see lowercase_doc). */
static inline Py_UCS4 lower_char(Py_UCS4 c) {
    if (c < 128)
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    if (c == 0x2019)
        return '\'';
    if (c == 0x3A3 || c == 0x130)
        return 0;
    return Py_UNICODE_TOLOWER(c);
}

/* The largest of lower_char over ``data`` of one kind (a constant where it is inlined),
 * or 0 when a character is one that the Python code must lowercase. */
static ALWAYS_INLINE Py_UCS4 lowered_top(int kind, const void *data, Py_ssize_t n) {
    Py_UCS4 top = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c >= 128 && (c = lower_char(c)) == 0)
            return 0;
        if (c > top)
            top = c;
    }
    return top;
}

/* Writes lower_char of each character of ``data`` to ``out`` (both kinds constants where
 * it is inlined). */
static ALWAYS_INLINE void lower_into(int kind, const void *data, Py_ssize_t n, int okind, void *out) {
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        PyUnicode_WRITE(okind, out, i, lower_char(c));
    }
}

static void lower_kinds(int kind, const void *data, Py_ssize_t n, int okind, void *out) {
#define LOWER_TO(K)                                                                                        \
    switch (okind) {                                                                                       \
    case PyUnicode_1BYTE_KIND: lower_into(K, data, n, PyUnicode_1BYTE_KIND, out); break;                   \
    case PyUnicode_2BYTE_KIND: lower_into(K, data, n, PyUnicode_2BYTE_KIND, out); break;                   \
    default: lower_into(K, data, n, PyUnicode_4BYTE_KIND, out); break;                                     \
    }
    switch (kind) {
    case PyUnicode_1BYTE_KIND: LOWER_TO(PyUnicode_1BYTE_KIND) break;
    case PyUnicode_2BYTE_KIND: LOWER_TO(PyUnicode_2BYTE_KIND) break;
    default: LOWER_TO(PyUnicode_4BYTE_KIND) break;
    }
#undef LOWER_TO
}

static PyObject *lowercase(PyObject *module, PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "lowercase takes a str");
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    /* the result's largest character first, so that it is made in its canonical kind */
    Py_UCS4 top;
    if (PyUnicode_IS_ASCII(text))
        top = 127;
    else if (kind == PyUnicode_1BYTE_KIND)
        top = lowered_top(PyUnicode_1BYTE_KIND, data, n);
    else if (kind == PyUnicode_2BYTE_KIND)
        top = lowered_top(PyUnicode_2BYTE_KIND, data, n);
    else
        top = lowered_top(PyUnicode_4BYTE_KIND, data, n);
    if (top == 0 && n > 0)
        Py_RETURN_NONE;
    PyObject *out = PyUnicode_New(n, top);
    if (out != NULL)
        lower_kinds(kind, data, n, PyUnicode_KIND(out), PyUnicode_DATA(out));
    return out;
}

/* ------------------------------------------------------------------ the types and the module */
static PyMethodDef Scorer_methods[] = {
    {"sequence_logprob", (PyCFunction)(void (*)(void))Scorer_sequence_logprob, METH_FASTCALL,
     sequence_logprob_doc},
    {"phrase_posteriors", (PyCFunction)(void (*)(void))Scorer_phrase_posteriors, METH_FASTCALL,
     phrase_posteriors_doc},
    {"scan_phrases", (PyCFunction)(void (*)(void))Scorer_scan_phrases, METH_FASTCALL, scan_phrases_doc},
    {"decode_sentence", (PyCFunction)(void (*)(void))Scorer_decode_sentence, METH_FASTCALL,
     decode_sentence_doc},
    {"word_stats", (PyCFunction)(void (*)(void))Scorer_word_stats, METH_FASTCALL, Scorer_word_stats_doc},
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

static PyMethodDef module_methods[] = {
    {"word_stats", (PyCFunction)(void (*)(void))word_stats, METH_FASTCALL, word_stats_doc},
    {"phrase_starts", (PyCFunction)(void (*)(void))phrase_starts, METH_FASTCALL, phrase_starts_doc},
    {"window_tokens", (PyCFunction)(void (*)(void))window_tokens, METH_FASTCALL, window_tokens_doc},
    {"posteriors", (PyCFunction)(void (*)(void))posteriors, METH_FASTCALL, posteriors_doc},
    {"lowercase", (PyCFunction)lowercase, METH_O, lowercase_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef lmcore_module = {
    PyModuleDef_HEAD_INIT, "_lmcore",
    "Optional C fast paths of newsrepair: the n-gram language model's probabilities and the\n"
    "scoring and word counting of spin detection.",
    -1, module_methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__lmcore(void) {
    if (PyType_Ready(&ScorerType) < 0)
        return NULL;
    if (S_NUM == NULL && ((S_NUM = PyUnicode_InternFromString("<num>")) == NULL
                          || (S_BOS = PyUnicode_InternFromString("<s>")) == NULL))
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
    PyObject *w = Py_BuildValue("(nnn)", widths[0], widths[1], widths[2]);
    if (w == NULL || PyModule_AddObject(m, "CONTEXT_CHARS", w) < 0
            || PyModule_AddStringConstant(m, "SENTENCE_END", SENTENCE_END) < 0) {
        Py_XDECREF(w);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
