"""Which part of the article each block of an unheaded article is.

Every block gets a kind by its content (the vocabulary of causes, risk,
symptoms, …; citations are References, organization names are Resources),
with the library's fixed order as a prior and surviving heading lines as
anchors, so a missing part does not shift the others (``assign``), and a
certainty the report shows (``certainty``).
"""

import bisect

from conditions.importer import citations, medicines
from conditions.importer.vocabulary import (
    BULLET,
    CANADIAN,
    CITATION_HINT,
    CREDIT,
    ENGLISH,
    MERGE_PENALTY,
    ORDER,
    ORDER_POSITIONS,
    POSITION,
    REFERENCES,
    RESOURCES,
    SKIP_PENALTY,
    first_sentence,
    for_language,
    is_org_like,
)


def features(block, language=ENGLISH):
    words = for_language(language)
    texts = [ln.text.strip() for ln in block.lines if not ln.blank]
    texts = [t for t in texts if not CREDIT.match(t)]
    plain = [BULLET.sub(r"\2", t) if BULLET.match(t) else t for t in texts]
    n = max(1, len(plain))
    cited = (
        sum(
            1
            for t in plain
            if CITATION_HINT.search(t) and citations.looks_like_citation(t, language)
        )
        / n
    )
    org = sum(1 for t in plain if is_org_like(t)) / n
    # A part's vocabulary shows in its first paragraphs; reading only
    # those keeps a block of 20,000 lines from costing seconds.
    prose = " ".join(plain[:40])[:4000]
    first = first_sentence(plain[0][:1000]) if plain else ""
    keywords = {}
    for kind, patterns in words.keywords.items():
        score = sum(1 for p in patterns if p.search(prose))
        score += sum(1 for p in patterns if p.search(first))
        keywords[kind] = min(score, 4)
    # Lists of medicines are Treatment's: a group heading naming them
    # ("Sedatives:"), or bullets that read as medicines.
    bullets = [BULLET.sub(r"\2", t) for t in texts if BULLET.match(t)]
    drugs = any(
        b.endswith(":") and medicines.names_medicines(b[:-1], language) for b in bullets
    ) and _has_nested_bullets(block)
    drugs = drugs or sum(1 for b in bullets if medicines.reads_as_medicine(b, language)) >= 2
    return {
        "cited": cited,
        "org": org,
        "keywords": keywords,
        "defines": bool(words.defines.search(first)),
        "drugs": drugs,
        "canadian": any(words.canadian.search(t) for t in plain),
        "figure_only": not plain,
    }


def _has_nested_bullets(block):
    indents = {len(m.group(1)) for ln in block.lines if (m := BULLET.match(ln.text)) is not None}
    return len(indents) > 1


def evidence(f, kind, index):
    if kind == REFERENCES:
        return 8 if f["cited"] >= 0.6 else -8
    if kind in (RESOURCES, CANADIAN):
        if f["org"] < 0.8 or f["cited"] >= 0.6:
            return -8
        return 6 + (1 if f["canadian"] == (kind == CANADIAN) else 0)
    if f["cited"] >= 0.6 or f["org"] >= 0.8:
        return -8
    score = f["keywords"].get(kind, 0)
    if kind == "definition":
        score += (3 if index == 0 else 0) + (1 if f["defines"] else 0)
    if kind == "treatment" and f["drugs"]:
        score += 6
    return score


def assign(blocks, language=ENGLISH):
    """Give every block a kind: the best path through the fixed order.

    A Viterbi pass: each block either continues the part before it or
    starts a later part of the fixed order, paying a little for every
    part left out, and gains the evidence of its content for the kind it
    gets. A missing part therefore costs less than a block's content
    speaks against a kind, so later blocks are not shifted. Linear in the
    number of blocks: per block, a pass over the (few) states and the
    eleven kinds.
    """
    start = ("", -1.0)
    best = {start: (0.0, None)}  # state → (score, back pointer)
    history = []
    main = ORDER
    body_index = 0
    for block in blocks:
        f = features(block, language)
        block.evidence = {kind: evidence(f, kind, body_index) for kind in main}
        block.first = body_index == 0 and not f["figure_only"]
        options = {}

        def offer(new_state, new_score, state, options=options):
            if new_state not in options or new_score > options[new_state][0]:
                options[new_state] = (new_score, state)

        if block.continues or block.anchor is not None or f["figure_only"]:
            for state, (score, _) in best.items():
                if block.continues or (f["figure_only"] and state[0]):
                    offer(state, score, state)
                elif block.anchor is not None:
                    offer((block.anchor, POSITION.get(block.anchor, state[1])), score, state)
                else:  # a figure before any text: the first part
                    for candidate in main:
                        offer((candidate, POSITION[candidate]), score, state)
        else:
            # Starting kind main[j] from a state after main[:i] costs
            # SKIP_PENALTY * (j - i): keep, per i, the best state, then
            # sweep j upwards with a running best.
            from_index = {}
            for state, (score, _) in best.items():
                kind, pos = state
                if kind:
                    gain = block.evidence.get(kind)
                    if gain is None:
                        gain = evidence(f, kind, body_index)
                    offer(state, score - MERGE_PENALTY + gain, state)
                i = bisect.bisect_right(ORDER_POSITIONS, pos)
                if i not in from_index or score > from_index[i][0]:
                    from_index[i] = (score, state)
            running = None
            for j, candidate in enumerate(main):
                if j in from_index:
                    score, state = from_index[j]
                    value = score + SKIP_PENALTY * j
                    if running is None or value > running[0]:
                        running = (value, state)
                if running is not None:
                    value, state = running
                    new_score = value - SKIP_PENALTY * j + block.evidence[candidate]
                    offer((candidate, POSITION[candidate]), new_score, state)
        history.append(options)
        best = options
        if not f["figure_only"]:
            body_index += 1
    # Walk back from the best end.
    state = max(best, key=lambda s: best[s][0])
    for block, options in zip(reversed(blocks), reversed(history), strict=True):
        block.kind = state[0]
        state = options[state][1]
    return blocks


def certainty(block):
    """How sure the placement of an unheaded block is, from how much more
    its content speaks for its kind than for any other: (label, rival)."""
    evidence = block.evidence
    if block.kind not in evidence or (block.kind == "definition" and block.first):
        # The library's articles open with their definition.
        return "sure", None
    rival = max((k for k in evidence if k != block.kind), key=evidence.get)
    margin = evidence[block.kind] - evidence[rival]
    if evidence[block.kind] <= 0:
        return "unsure", None  # nothing in it speaks for any kind
    if margin >= 2:
        return "sure", None
    if margin >= 0:
        return "fairly sure", None
    return "unsure", rival
