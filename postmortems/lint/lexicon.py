"""Word lists of the blameless lint, by the part they play in a sentence, and a tiny lemmatiser.

Lists hold lemmas (base forms); ``lemmas()`` turns an inflected word into candidate base forms
so that "botched", "botching" and "botches" all meet "botch". Keep lists small and general: the
lint recognises kinds of blame, not sentences.
"""

from __future__ import annotations

from functools import lru_cache


def words(text: str) -> frozenset[str]:
    """A word list written as one string (easier to read and edit than a list literal)."""
    return frozenset(text.split())


# --- people -------------------------------------------------------------------------------------

# Head nouns that name one person by role. "on-call" and "oncall" count only as a head noun
# ("the on-call silenced it"), not as a modifier ("the on-call rotation").
ROLE_NOUNS = words(
    """
    engineer developer dev programmer coder sre sysadmin admin administrator dba operator
    on-call oncall on-caller responder reviewer approver author committer maintainer deployer
    contractor consultant vendor freelancer intern hire newcomer junior senior lead manager
    captain commander ic owner person someone somebody anyone anybody whoever employee staffer
    member teammate colleague coworker co-worker analyst technician specialist
    architect tester qa requester requestor submitter assignee trainee apprentice newbie rookie
    veteran expert supervisor director cto vp sysop devops individual guy
    """
)
# Plural or collective people: blamed together by a blame verb, but their ordinary actions are
# not singled out ("engineers on call need a way to ..." is blameless).
GROUP_NOUNS = words(
    """
    engineers developers devs sres admins administrators dbas operators responders reviewers
    approvers authors contractors consultants interns hires people staff team teams folks ops
    humans employees members colleagues everyone everybody nobody leadership management
    """
)
# Subject pronouns: he/she name an individual; "they" is treated as a group of people.
INDIVIDUAL_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "hers"})
GROUP_PRONOUNS = frozenset({"they", "them", "their"})
WE_PRONOUNS = frozenset({"we", "us", "our", "i", "me", "my"})

# --- systems ------------------------------------------------------------------------------------

# Capitalised words that look like given names or unknown proper nouns but are systems.
SYSTEM_PROPER_NOUNS = words(
    """
    Ruby Julia Ada Crystal Dart Rust Go Elixir Erlang Kotlin Swift Scala Perl Python Java Lua
    Jenkins Travis Bamboo Heroku Nomad Vault Consul Envoy Linkerd Istio Kafka Pulsar Cassandra
    Redis Memcached Mongo MongoDB Postgres PostgreSQL MySQL MariaDB SQLite Oracle Elasticsearch
    OpenSearch Sentry Grafana Prometheus Alertmanager Loki Tempo Jaeger Celery Django Flask Rails
    Ansible Salt Puppet Chef Terraform Pulumi Helm Argo ArgoCD Flux Spinnaker Kubernetes Docker
    Nginx Apache Caddy Traefik HAProxy Varnish Fastly Cloudflare Akamai Logstash Kibana Hadoop Hive
    Presto Trino Druid Pinot Spark Flink Storm Kinesis Lambda Aurora Athena Dynamo DynamoDB
    Neptune Atlas Apollo Hermes Iris Luna Nova Orion Phoenix Sierra Zookeeper Etcd Calico Cilium
    Vitess Patroni Pgbouncer Debezium Airflow Dagster Jira Slack GitHub GitLab Bitbucket
    PagerDuty Opsgenie Datadog Honeycomb Splunk Okta Auth0 Stripe Twilio Workday Windows Linux
    Ubuntu Debian Alpine Android Chrome Firefox Safari Harbor Quay Nexus Artifactory Vagrant
    Consul Mesos Marathon Bazel Gradle Maven Webpack Vite Node Deno Bun Cron Systemd Grafana
    Amazon Google Microsoft Azure AWS GCP Cloud Monday Tuesday Wednesday Thursday Friday Saturday
    Sunday January February March April May June July August September October November
    December Christmas Easter Black Cyber Summer Winter Spring Autumn Fall
    """
)
# Places that are also given names: a region or a datacenter, unless possessive ("Charlotte's").
PLACE_NAMES = words(
    """
    Sydney Austin Dallas Paris Florence Victoria Charlotte Jackson Orlando Lincoln Madison
    Regina Houston Denver Santiago Sofia Georgia Virginia Carolina Dakota Savannah Cheyenne
    Alexandria Adelaide Valencia Frankfurt Dublin London Tokyo Mumbai Singapore Seoul Montreal
    Oregon Ohio Ireland Milan Stockholm Zurich Jakarta Chennai Hyderabad Osaka Beijing Shanghai
    """
)
# Nouns that make an unknown capitalised word read as a person's, after "X's": "Elena's edit".
PERSONAL_ARTIFACTS = words(
    """
    typo mistake error slip lapse oversight fault blunder change edit commit push deploy
    deployment migration script query command patch pr refactor fix decision call judgement
    judgment laptop account credentials token branch review approval code config rollout
    release merge hotfix team shift watch
    """
)

# --- verbs --------------------------------------------------------------------------------------

# Things a person does to a system that can cause an incident. With an individual (name, role,
# he/she) as subject they single that person out: "the new hire pushed the config".
CHANGE_VERBS = words(
    """
    push deploy ship merge commit run execute type enter paste edit change modify delete remove
    drop truncate wipe purge destroy kill restart reboot stop shut disable silence mute snooze
    suppress misconfigure configure set hard-code hardcode approve sign roll release flip toggle
    trigger cause break introduce skip bypass override force-push rotate promote apply upgrade
    downgrade patch rewrite refactor install uninstall unplug revoke allow let choose decide opt
    wait delay decline refuse turn switch fail-over failover start launch update overwrite
    reset renew expire rename move migrate edit add write leave
    """
)
# What responders do while responding: with a role as subject these describe the response, not
# who caused the incident ("the on-call engineer escalated at 03:10"). Any other past-tense verb
# with one person named by role as subject singles them out ("the requester marked it low risk").
RESPONSE_VERBS = words(
    """
    acknowledge notice page escalate roll revert restore mitigate investigate join declare
    respond see receive have follow look ask call open find identify confirm verify communicate
    post update notify inform alert coordinate help lead begin work try attempt spot detect
    diagnose recover fix resolve wake arrive log note report triage hand take stay become seem
    appear say tell write want need know think believe expect assume realise realize suspect
    understand watch monitor check review test read learn discover observe hear get go come
    handle manage own answer reply message ping contact reach request suggest propose recommend
    agree document record capture mention explain describe share raise flag warn page use
    view visit search browse consult rely prefer trust
    """
)
# Verbs that take a clause: in "the engineer assumed the flag affected staging" the flag, not the
# engineer, is the subject of "affected".
COMPLEMENT_VERBS = words(
    """
    assume think believe expect say claim feel know notice see find realise realize suppose
    guess hope fear worry suspect understand report confirm note mention explain judge conclude
    decide
    """
)
# Recovery words: an action taken "to restore traffic" is part of the response.
RECOVERY_WORDS = words(
    """
    restore restored restoring recover recovered recovering mitigate mitigated mitigating
    stabilise stabilised stabilize stabilized fix fixed resolve resolved unblock unblocked
    """
)
# Nouns after a place name: "the Virginia region", "Sydney datacenter".
PLACE_NOUNS = words("region regions zone zones datacenter datacentre dc cluster office site az pop")
# Blame whatever the subject, unless the subject is a system: only people botch things.
STRONG_BLAME_VERBS = words(
    """
    botch bungle blunder goof flub fumble fat-finger fatfinger slack rubber-stamp rubberstamp
    brush shrug
    """
)
# Blame when a person or a group of people is the subject; a system may "ignore" a header.
PERSON_BLAME_VERBS = words(
    """
    ignore overlook neglect forget miss skip disregard bypass circumvent rush misread mistype
    misjudge mishandle misunderstand misinterpret mess screw muck foul blow dismiss omit break
    wave botch bungle fumble clobber mangle trash nuke wreck hose bork brick butcher bodge fudge
    muddle shirk dodge duck neglect
    """
)
# Diligence verbs: "didn't check", "never tested", "without reviewing".
DILIGENCE_VERBS = words(
    """
    check test verify review read look ask follow confirm validate notice escalate monitor watch
    update renew backup double-check doublecheck consult consider think pay bother care inspect
    tell communicate warn document
    """
)
# Particle verbs: "messed up", "screwed up", "waved through", "brushed off".
PARTICLE_BLAME = {
    "mess": {"up"},
    "screw": {"up"},
    "muck": {"up"},
    "foul": {"up"},
    "slack": {"off"},
    "brush": {"off", "aside"},
    "shrug": {"off"},
    "wave": {"through", "off", "away"},
    "slip": {"up"},
    "goof": {"up", "off"},
    "blow": {"off", "past", "through"},
}
# Judgements of character, blame whatever the subject (unless a fixed technical term follows).
BLAME_ADJECTIVES = words(
    """
    lazy lazily laziness careless carelessly carelessness reckless recklessly recklessness
    sloppy sloppily sloppiness negligent negligently negligence incompetent incompetence
    incompetently inattentive inattentively inattention clueless irresponsible irresponsibly
    complacent complacently complacency thoughtless thoughtlessly rash rashly cavalier stupid
    stupidly dumb foolish foolishly idiotic boneheaded amateurish unprofessional inexcusable
    heedless heedlessly lax sloppy slapdash hasty hastily impatient impatiently half-hearted
    half-heartedly halfhearted halfheartedly half-assed lackadaisical perfunctory perfunctorily
    cursory cursorily slipshod shoddy shoddily haphazard haphazardly
    """
)
# Technical terms that contain a judgement word but judge nobody.
TECHNICAL_AFTER_ADJECTIVE = {
    "lazy": {"loading", "load", "loaded", "evaluation", "evaluated", "initialization",
             "initialisation", "init", "import", "imports", "iterator", "iteration", "binding",
             "deletion", "expiry", "expiration", "sequence", "fetch", "fetching", "mode"},
    "sloppy": {"quorum", "quorums"},
    "lax": {"mode", "parsing", "validation"},
    "hasty": set(),
}  # fmt: skip
# Idioms of blame (token sequences, lemmatised on their first word).
BLAME_IDIOMS: list[tuple[str, ...]] = [
    ("drop", "the", "ball"),
    ("asleep", "at", "the", "wheel"),
    ("asleep", "on", "the", "job"),
    ("asleep", "at", "the", "switch"),
    ("cut", "corners"),
    ("cut", "a", "corner"),
    ("rookie", "mistake"),
    ("rookie", "error"),
    ("did", "nothing"),
    ("turn", "a", "blind", "eye"),
    ("look", "the", "other", "way"),
    ("pass", "the", "buck"),
    ("let", "it", "slide"),
    ("let", "things", "slide"),
    ("phone", "it", "in"),
    ("wing", "it"),
    ("sleep", "through"),
    ("slept", "through"),
    ("jump", "the", "gun"),
    ("do", "nothing"),
    ("go", "back", "to", "sleep"),
    ("go", "to", "bed"),
    ("could", "not", "be", "bothered"),
    ("couldn't", "be", "bothered"),
    ("wasn't", "paying", "attention"),
    ("was", "not", "paying", "attention"),
    ("weren't", "paying", "attention"),
    ("not", "paying", "attention"),
    ("took", "shortcuts"),
    ("take", "a", "shortcut"),
    ("get", "complacent"),
    ("sat", "on"),
    ("sit", "on"),
    ("fell", "asleep"),
    ("should", "know", "better"),
    ("knew", "better"),
    ("no", "excuse"),
    ("without", "a", "second", "thought"),
    ("without", "thinking"),
    ("didn't", "think"),
    ("did", "not", "think"),
]
# Hindsight idioms: the problem was obvious, to someone who knows how the story ends.
HINDSIGHT_IDIOMS: list[tuple[str, ...]] = [
    ("staring", "us", "in", "the", "face"),
    ("staring", "them", "in", "the", "face"),
    ("stared", "us", "in", "the", "face"),
    ("right", "under", "our", "noses"),
    ("under", "their", "noses"),
    ("writing", "was", "on", "the", "wall"),
    ("no-brainer",),
    ("no", "excuse", "for"),
    ("had", "every", "opportunity"),
    ("had", "every", "chance"),
    ("had", "plenty", "of", "time"),
    ("had", "ample", "time"),
    ("had", "ample", "opportunity"),
    ("how", "could", "anyone"),
    ("how", "could", "nobody"),
    ("how", "could", "they"),
    ("in", "hindsight", "obvious"),
    ("should", "know", "better"),
    ("should", "have", "known", "better"),
    ("red", "flags", "were"),
    ("warning", "signs", "were"),
    ("signs", "were", "there"),
]
# Words that negate diligence before a diligence verb: "didn't check", "never tested".
NEGATORS = frozenset(
    {"didn't", "didnt", "not", "never", "neglected", "forgot", "omitted", "failed", "without"}
)

# --- hindsight ----------------------------------------------------------------------------------

COUNTERFACTUAL_MODALS = frozenset(
    {"should", "could", "might", "would", "ought", "must", "should've", "could've", "might've",
     "would've", "must've", "shoulda", "coulda"}
)  # fmt: skip
# Participles that turn "X could have <pp>" into hindsight even with a system as subject.
HINDSIGHT_PARTICIPLES = words(
    """
    catch caught notice noticed spot spotted see seen know known check checked test tested
    prevent prevented avoid avoided realise realised realize realized ask asked look looked
    read verify verified escalate escalated stop stopped detect detected find found anticipate
    anticipated predict predicted foresee foreseen expect expected guess guessed show shown
    showed reveal revealed tell told
    """
)
EVIDENT_WORDS = frozenset({"clear", "obvious", "evident", "apparent", "plain", "visible"})
# "simply needed to", "just had to", "only had to", "merely needed to".
MINIMISERS = frozenset({"simply", "just", "only", "merely"})
CARE_NOUNS = frozenset({"care", "attention", "thought", "caution", "diligence", "effort", "focus"})

# --- blame dressed as a cause -------------------------------------------------------------------

# "<actor> error": pilot error, operator error, human error, user error.
ERROR_ACTORS = words(
    """
    pilot operator human user driver engineer engineering personnel staff people employee
    admin administrator manual individual person deployer developer responder reviewer
    """
)
ERROR_NOUNS = words(
    """
    error errors mistake mistakes failure failures fault faults slip slips lapse lapses
    oversight oversights blunder blunders misjudgement misjudgment problem problems issue issues
    """
)
# Technical or scholarly uses: "human error is a symptom", "the user error rate".
ERROR_PHRASE_NEUTRAL_AFTER = words(
    """
    budget budgets rate rates model models research literature factors factor rates page pages
    handling handler code codes message messages response responses count counts
    """
)
# Nouns of a person's failing: "lack of diligence", "a lapse in attention".
FAILING_NOUNS = words(
    """
    diligence care attention focus discipline rigor rigour ownership accountability judgement
    judgment competence vigilance responsibility professionalism concentration caution
    conscientiousness carefulness thoroughness decision-making inexperience ignorance naivety
    overconfidence arrogance impatience haste forgetfulness fallibility frailty dereliction
    """
)
LACK_WORDS = frozenset(
    {"lack", "lacking", "absence", "insufficient", "inadequate", "poor", "little", "lapse",
     "lapses", "shortage", "deficit", "want", "failure", "bad", "questionable", "flawed"}
)  # fmt: skip
PERSON_PROBLEM_WORDS = frozenset({"people", "personnel", "human", "attitude", "competence"})
BLAME_NOUNS = frozenset({"blame", "fault", "responsibility", "culpability", "culprit"})
CAUSE_WORDS = words(
    """
    cause causes caused due because result resulted resulting attribute attributed attributable
    comes come boils boil down trigger triggered reason root
    """
)

# --- grammar ------------------------------------------------------------------------------------

DETERMINERS = frozenset(
    {"the", "a", "an", "our", "this", "that", "these", "those", "its", "their", "some", "one",
     "another", "each", "every", "any", "no", "your", "my", "his", "her"}
)  # fmt: skip
PREPOSITIONS = words(
    """
    of in on at from to for with by about into onto over under during after before since until
    through via per across against between without within behind like near inside outside
    """
)
# Words that open a new clause (its subject comes after them).
CLAUSE_OPENERS = words(
    """
    because since when while although though if unless so but and or which that who whom whose
    where after before once until whereas then how why whether
    """
)
BE_FORMS = frozenset(
    {"was", "were", "is", "are", "be", "been", "being", "got", "get", "gets", "became", "become",
     "seemed", "seems", "felt", "appeared"}
)  # fmt: skip
AUXILIARIES = frozenset(
    {"had", "has", "have", "did", "does", "do", "didn't", "hadn't", "hasn't", "also", "then",
     "just", "simply", "clearly", "obviously", "accidentally", "mistakenly", "carelessly",
     "apparently", "again", "still", "already", "quickly", "manually", "directly", "never",
     "not", "even", "only", "ultimately", "unfortunately", "actually", "really", "basically",
     "inadvertently", "unknowingly", "knowingly", "deliberately", "hastily", "recklessly",
     "sloppily", "lazily", "promptly", "immediately", "later", "eventually", "first"}
)  # fmt: skip
FUTURE_OR_ADVICE = frozenset(
    {"will", "shall", "should", "could", "can", "may", "might", "must", "would", "ought", "need",
     "needs", "want", "plan", "going", "to", "let's"}
)  # fmt: skip
BROADCAST_MENTIONS = frozenset({"here", "channel", "everyone", "all", "oncall", "on-call"})
# Words that often start a sentence capitalised and are never names.
FUNCTION_WORDS = (
    DETERMINERS
    | PREPOSITIONS
    | CLAUSE_OPENERS
    | BE_FORMS
    | AUXILIARIES
    | words(
        """
    we i it they he she there here what why how nothing everything someone somebody nobody
    anyone anybody everyone all both neither either none next going finally also however
    meanwhile instead overall later yes no not cause root impact summary lessons trigger
    contributing factor factors detection resolution note
    """
    )
)

_IRREGULAR = {
    "ran": "run", "broke": "break", "broken": "break", "took": "take", "taken": "take",
    "forgot": "forget", "forgotten": "forget", "chose": "choose", "chosen": "choose",
    "went": "go", "gone": "go", "blew": "blow", "blown": "blow", "wrote": "write",
    "written": "write", "made": "make", "did": "do", "done": "do", "gave": "give",
    "given": "give", "sent": "send", "left": "leave", "let": "let", "set": "set", "shut": "shut",
    "put": "put", "cut": "cut", "hit": "hit", "overrode": "override", "overridden": "override",
    "overlooked": "overlook", "saw": "see", "seen": "see", "knew": "know", "known": "know",
    "caught": "catch", "found": "find", "thought": "think", "misread": "misread",
    "mistook": "mistake", "sat": "sit", "fell": "fall", "got": "get", "gotten": "get",
    "began": "begin", "begun": "begin", "undid": "undo", "undone": "undo", "rewrote": "rewrite",
    "withdrew": "withdraw", "had": "have", "has": "have", "overwrote": "overwrite",
    "overwritten": "overwrite", "drew": "draw", "drove": "drive", "froze": "freeze",
    "frozen": "freeze", "tore": "tear", "threw": "throw", "thrown": "throw", "spun": "spin",
    "split": "split", "struck": "strike", "swept": "sweep", "spent": "spend", "built": "build",
    "led": "lead", "lost": "lose", "met": "meet", "paid": "pay", "said": "say", "sold": "sell",
    "told": "tell", "understood": "understand", "misled": "mislead", "overran": "overrun",
    "upheld": "uphold", "withheld": "withhold", "shot": "shoot", "bent": "bend", "bit": "bite",
    "fed": "feed", "fled": "flee", "hid": "hide", "hidden": "hide", "rode": "ride",
    "rang": "ring", "sank": "sink", "slid": "slide", "stuck": "stick", "swung": "swing",
    "wound": "wind", "woke": "wake", "brought": "bring", "bought": "buy", "taught": "teach",
    "sought": "seek", "felt": "feel", "heard": "hear", "meant": "mean", "stood": "stand",
    "mistaken": "mistake", "forgave": "forgive", "ate": "eat", "eaten": "eat", "gave up": "give", "held": "hold", "kept": "keep", "shook": "shake", "bore": "bear",
}  # fmt: skip
# Past forms that are also common nouns or adjectives stay out: "a bit", "the wound", "a lead".
PAST_IRREGULAR = frozenset(_IRREGULAR) - {"had", "has", "bit", "wound", "led", "felt", "gave up"}


@lru_cache(maxsize=8192)
def lemmas(word: str) -> frozenset[str]:
    """Candidate base forms of ``word`` (lowercase): itself, irregular forms and stripped endings."""
    w = word.lower().replace("’", "'")
    out = {w}
    if w in _IRREGULAR:
        out.add(_IRREGULAR[w])
    for suffix in ("ed", "ing", "es", "s", "d"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 2:
            stem = w[: -len(suffix)]
            out.add(stem)
            if suffix in ("ed", "ing"):
                out.add(stem + "e")  # "typed" → "type", "using" → "use"
                if len(stem) >= 3 and stem[-1] == stem[-2]:
                    out.add(stem[:-1])  # "dropped" → "drop"
            if suffix == "ed" and stem.endswith("i"):
                out.add(stem[:-1] + "y")  # "modified" → "modify"
            if suffix == "es" and stem.endswith("i"):
                out.add(stem[:-1] + "y")
    return frozenset(out)


def is_past_form(word: str) -> bool:
    """A past-tense or participle form: "-ed" or a known irregular ("ran", "broke")."""
    w = word.lower()
    return (w.endswith("ed") and len(w) > 3) or w in PAST_IRREGULAR


def lemma_in(word: str, lexicon: frozenset[str]) -> bool:
    return not lexicon.isdisjoint(lemmas(word))
