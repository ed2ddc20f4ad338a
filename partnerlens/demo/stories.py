"""What the demo's enquiry cycles say: who is asked, how each group tends to answer, and the
words they write. Plain data for ``synthetic``; every text here was written for the demo.

The schools are real (from demo/data); the people and their answers are invented. The
texts avoid figures about a real school's results, so nothing here reads as a fact about it.

Sale Primary Cluster (partnership-quality, flexed), spring then autumn 2026:
- leaders rate the partnership higher than teachers and support staff do (an optimism gap);
- governance is the weakest theme, and governors rate it lowest of all;
- professional trust rises most between the cycles, challenge and impact a little;
- two support staff answer, a group too small to show (it is suppressed); five middle
  leaders answer, so they, not the headteachers, are the group hidden beside it (a hidden
  group alone could be worked out by subtraction).
Ynys Môn Secondary Network (self-improving-system), anonymous, many answers in Welsh:
strong professional development, collaborative capital still emerging.
The trust (deep-and-tight), named: tight shared structures, practice-sharing less deep.
Trafford (collaboration-continuum), confidential: how some of its schools say they work with
each other. Schools in one trust say collaboration or co-operation about each other; a few
secondaries and their nearest primaries say co-ordination, but for one pair each the
secondary says collaboration and the primary networking (ties the two sides see
differently); every school names its nearest school outside the survey as networking; most of
the partnership's schools nobody answers about. The views per kind of tie are
``TRAFFORD_VIEWS``; which schools are which comes from the data (``demo.relationships``).
"""

from __future__ import annotations

from partnerlens.demo.synthetic import Story

ENGLISH_FIRST = tuple(
    "Aisha Ben Chloe Daniel Emma Farah George Hannah Imran Jess Kieran Laura Mohammed "
    "Niamh Oliver Priya Rachel Sam Tariq Uma Victoria Will Yasmin Zoe Amir Bethany Callum "
    "Deborah Ellie Fiona".split()
)
ENGLISH_SURNAMES = tuple(
    "Ahmed Barnes Clarke Dixon Evans Fletcher Green Hussain Iqbal Jackson Kelly Lloyd "
    "Morris Nolan O'Brien Patel Quinn Robinson Singh Taylor Walsh Wood Young Brennan Shaw".split()
)
WELSH_FIRST = tuple(
    "Alaw Aled Angharad Bethan Carys Cerys Dafydd Dylan Elin Emyr Ffion Gareth Geraint "
    "Gwen Huw Ieuan Iwan Llinos Lowri Mared Meinir Nia Osian Owain Rhian Rhys Sioned Siôn "
    "Tomos Non".split()
)
WELSH_SURNAMES = tuple(
    "Jones Williams Davies Evans Roberts Hughes Owen Parry Thomas Lewis Pritchard "
    "Griffiths Morgan Rowlands Ellis Jenkins".split()
)

# --- Sale Primary Cluster -------------------------------------------------------------------

SALE_THEMES = tuple(
    "purpose engagement leadership trust challenge governance impact wider-partners".split()
)
SALE_TARGETS = {
    "purpose": 3,
    "engagement": 3,
    "trust": 3,
    "challenge": 3,
    "governance": 3,
    "impact": 3,
}
SALE_WEIGHTS = {"trust": 2.0, "impact": 2.0, "engagement": 1.5}

# Invited per role (spring, autumn) and how many of them never answer.
SALE_INVITED = {
    "spring": {
        "headteacher": 6,
        "senior_leader": 10,
        "middle_leader": 6,
        "teacher": 29,
        "support_staff": 3,
        "governor": 10,
        "parent": 13,
    },
    "autumn": {
        "headteacher": 6,
        "senior_leader": 11,
        "middle_leader": 6,
        "teacher": 33,
        "support_staff": 3,
        "governor": 10,
        "parent": 15,
    },
}
SALE_SILENT = {
    "spring": {
        "senior_leader": 1,
        "middle_leader": 1,
        "teacher": 5,
        "support_staff": 1,
        "governor": 2,
        "parent": 3,
    },
    "autumn": {
        "senior_leader": 1,
        "middle_leader": 1,
        "teacher": 4,
        "support_staff": 1,
        "governor": 1,
        "parent": 3,
    },
}

SALE_ROLE_LIFT = {
    "partnership_lead": 0.9,
    "headteacher": 0.8,
    "senior_leader": 0.6,
    "middle_leader": 0.25,
    "teacher": 0.0,
    "support_staff": -0.15,
    "governor": 0.3,
    "parent": -0.1,
}
SALE_THEME_ROLE_LIFT = {
    ("governance", "governor"): -0.5,
    ("engagement", "headteacher"): 0.3,
    ("engagement", "senior_leader"): 0.3,
    ("engagement", "teacher"): -0.15,
    ("impact", "headteacher"): 0.3,
    ("impact", "senior_leader"): 0.2,
    ("wider-partners", "parent"): 0.2,
}
SALE_DONT_KNOW = {
    "headteacher": 0.0,
    "senior_leader": 0.03,
    "middle_leader": 0.05,
    "teacher": 0.06,
    "support_staff": 0.08,
    "governor": 0.08,
    "parent": 0.15,
}
SALE_THEME_DONT_KNOW = {
    ("engagement", "governor"): 0.25,
    ("trust", "governor"): 0.2,
    ("impact", "teacher"): 0.12,
    ("challenge", "teacher"): 0.1,
}

SALE_TEXT_EVIDENCE = (
    "Cluster improvement plan, agreed by the six heads in September",
    "Minutes of the heads' meeting where the priorities were agreed",
    "Phonics tracking sheet the schools share each half term",
    "Termly report on cluster work to each governing body",
    "Attendance records of the maths work groups",
    "Year 6 to Year 7 information form agreed with the secondary schools",
    "Notes from the joint Year 6 writing moderation session",
)

SALE_SPRING = Story(
    theme_means={
        "purpose": 2.6,
        "engagement": 2.2,
        "leadership": 2.4,
        "trust": 2.1,
        "challenge": 2.2,
        "governance": 1.8,
        "impact": 2.1,
        "wider-partners": 2.0,
    },
    role_lift=SALE_ROLE_LIFT,
    theme_role_lift=SALE_THEME_ROLE_LIFT,
    dont_know=SALE_DONT_KNOW,
    theme_dont_know=SALE_THEME_DONT_KNOW,
    texts={
        "purpose-priorities": (
            "Early reading: all six schools using the same phonics tracking so we can compare "
            "Year 1 pupils fairly. Maths mastery in Years 3 and 4. A shared transition week "
            "with the secondary schools most of our children move on to.",
            "Agreeing one reading spine for the cluster, and starting joint moderation of writing.",
            "Honestly, we are still agreeing them. Reading and maths are on the list; "
            "transition keeps coming up but nobody owns it yet.",
            "Phonics catch-up for pupils who did not reach the standard in Year 1, maths "
            "training for teaching assistants, and a joint look at attendance.",
            "Joint moderation of Year 6 writing, shared training on maths fluency, and a "
            "better handover of information to the secondary schools.",
            "Reading for pleasure, a common calculation policy, and transition.",
        ),
        "trust-example": (
            "A colleague from another school let me watch her phonics lesson even though she "
            "said it was not her best. That honesty made it easier for me to ask for help.",
            "When our Year 2 assessments dipped, another head offered to look at books with "
            "us rather than just compare numbers.",
            "I am not sure I would share a problem yet. The meetings are friendly, but they "
            "can feel like a chance to show what went well.",
            "We lent our maths lead to a partner school for two afternoons when theirs was "
            "off sick. Nobody asked what we would get back.",
            "The SENCOs talk openly about the cases they find hard. That does not happen at "
            "leadership meetings yet.",
            "Teachers shared their planning for the new reading books, which saved all of us time.",
            "Trust is growing between the heads, but it has not reached class teachers yet.",
        ),
        "impact-example": (
            "The two schools that started the shared phonics tracking first now spot pupils "
            "who are falling behind weeks earlier.",
            "Teachers say the joint maths training changed how they use practical resources, "
            "but we have not measured it.",
            "Year 7 tutors at the secondary school said the information we sent them was "
            "clearer this year.",
            "Hard to say yet. We have plenty of activity but little evidence of what it has "
            "changed.",
            "Our writing judgements are more consistent: the local authority moderator "
            "agreed with every Year 6 judgement she sampled.",
        ),
        "wider-parents-ideas": (
            "More joint trips and sports events, so children know each other before they "
            "start secondary school.",
            "Reading events for families from all the schools.",
            "Help for parents with maths at home. The methods have changed since I was at school.",
            "Shared after-school clubs. Our school is too small to run many on its own.",
            "Clearer information about moving up to high school, and earlier.",
        ),
    },
    write_chance={
        "purpose-priorities": 0.55,
        "trust-example": 0.3,
        "impact-example": 0.55,
        "wider-parents-ideas": 0.45,
    },
    evidence={
        ("purpose", "en"): ("Improvement plan shared with all staff in January",),
        ("engagement", "en"): ("Register of staff attending cluster training",),
        ("challenge", "en"): ("Notes from the first paired school visits",),
        ("impact", "en"): ("Summary of the autumn term phonics tracking",),
        ("governance", "en"): ("Draft terms of reference for the heads' group",),
    },
    evidence_chance=0.35,
    text_evidence=SALE_TEXT_EVIDENCE,
    numbers={
        "engagement-occasions": {
            "headteacher": 9,
            "senior_leader": 6,
            "middle_leader": 4,
            "teacher": 2,
            "support_staff": 1,
        },
    },
    amounts={"sustainability-contribution": (1500, 2000, 2500, 3000)},
    choice_weights={
        "leadership-time": {
            "none": 2,
            "under-a-day": 3,
            "one-to-two-days": 1,
            "over-two-days": 0.2,
        },
        "challenge-peer-review": {"reviewed": 1, "reviewer": 1, "both": 0.5, "neither": 3},
        "wider-agencies": {"health": 2, "social-care": 1.5, "community": 1, "police": 0.5},
    },
)

SALE_AUTUMN = Story(
    theme_means={
        "purpose": 2.8,
        "engagement": 2.5,
        "leadership": 2.5,
        "trust": 2.75,
        "challenge": 2.5,
        "governance": 1.95,
        "impact": 2.4,
        "wider-partners": 2.1,
    },
    role_lift=SALE_ROLE_LIFT,
    theme_role_lift=SALE_THEME_ROLE_LIFT,
    dont_know=SALE_DONT_KNOW,
    theme_dont_know=SALE_THEME_DONT_KNOW,
    texts={
        "purpose-priorities": (
            "Year 1 phonics: we track the same measures every half term and share them at "
            "heads' meetings. Maths mastery leads in every school. Transition: one Year 6 "
            "information form, agreed with Sale's secondary schools.",
            "The reading spine was agreed in spring and is in place in all six schools. Next "
            "is joint moderation of reading assessments.",
            "Early reading, maths mastery and transition, as before. We added attendance of "
            "disadvantaged pupils after looking at the spring figures together.",
            "Maths work groups running in every school, phonics tracking shared termly, and a "
            "cluster transition day in June.",
            "Quality of reading teaching in Key Stage 1, fluency in maths, and making sure "
            "Year 6 information reaches secondary schools before the summer holiday.",
            "Keeping the moderation going, taking the maths work into Key Stage 1, and "
            "agreeing a fair way to share the costs.",
        ),
        "trust-example": (
            "After our mock inspection went badly, two heads came in the same week to help us "
            "plan. Six months ago I would have kept it quiet.",
            "At the moderation session we disagreed about a piece of writing and talked it "
            "through properly. Nobody got defensive.",
            "A teacher from another school asked to watch my maths lesson and then invited me "
            "back. It felt like working with colleagues, not being inspected.",
            "We shared our attendance figures for disadvantaged pupils, including the worrying "
            "ones, and agreed to work on them together.",
            "Our reading leads now send each other what did not work as well as what did.",
            "When I was new to Year 6, a teacher from another cluster school rang me every "
            "week in the run-up to the tests.",
            "The heads agreed to share the cost of a speech and language therapist without "
            "arguing over who uses her most.",
        ),
        "impact-example": (
            "More Year 1 pupils are on track in phonics at this point of the year than last "
            "year, in five of the six schools.",
            "Year 4 pupils explain their maths reasoning more confidently since the mastery "
            "work started; our pupil voice notes show it.",
            "The secondary school told us fewer pupils from our schools needed reading "
            "catch-up in September.",
            "Most teachers who visited a partner school changed something in their own "
            "teaching afterwards, according to our own short survey.",
            "Pupils who took part in the transition days settled faster in Year 7, their "
            "tutors say.",
        ),
        "wider-parents-ideas": (
            "The transition day was great: my son knew some faces in September. More of that, "
            "please.",
            "A cluster choir or a joint music concert.",
            "Evening workshops on phonics for parents of younger children.",
            "Sharing ideas about screen time and reading at home.",
            "Support for children who find change hard, not only at the end of Year 6.",
        ),
    },
    write_chance={
        "purpose-priorities": 0.55,
        "trust-example": 0.3,
        "impact-example": 0.6,
        "wider-parents-ideas": 0.45,
    },
    evidence={
        ("purpose", "en"): ("Improvement plan 2026-27 with the three shared priorities",),
        ("engagement", "en"): ("Log of classroom visits between the schools since January",),
        ("leadership", "en"): ("Timetable showing the cluster lead's half day a week",),
        ("trust", "en"): ("Write-up of the joint moderation day",),
        ("challenge", "en"): ("Peer review reports from the summer term",),
        ("governance", "en"): ("Terms of reference agreed by the heads, not yet by governors",),
        ("impact", "en"): ("Cluster impact report to governors, July",),
    },
    evidence_chance=0.35,
    text_evidence=SALE_TEXT_EVIDENCE,
    numbers={
        "engagement-occasions": {
            "headteacher": 11,
            "senior_leader": 8,
            "middle_leader": 6,
            "teacher": 4,
            "support_staff": 1,
        },
    },
    amounts={"sustainability-contribution": (2000, 2500, 3000, 3500)},
    choice_weights={
        "leadership-time": {
            "none": 0.5,
            "under-a-day": 2,
            "one-to-two-days": 2,
            "over-two-days": 0.3,
        },
        "challenge-peer-review": {"reviewed": 1.5, "reviewer": 1.5, "both": 2, "neither": 1},
        "wider-agencies": {"health": 2, "social-care": 1.5, "community": 1.5, "police": 0.5},
    },
)

# The lead's private reflections on the autumn cycle, by reflection prompt key.
SALE_REFLECTIONS = {
    "leader-role": (
        "I will keep chairing the heads' group, but hand the moderation days to our reading "
        "leads. Trust rose most where teachers met each other, not where I was in the room."
    ),
    "leader-strengths": (
        "I can get six busy heads to agree a plan. I am less good at taking governors with "
        "us: governance is our weakest theme again, and governors rate it lowest of all."
    ),
}

# --- Ynys Môn Secondary Network -------------------------------------------------------------

YNYS_MON_INVITED = {
    "headteacher": 5,
    "senior_leader": 9,
    "middle_leader": 10,
    "teacher": 16,
    "governor": 9,
}
YNYS_MON_SILENT = {"senior_leader": 1, "middle_leader": 1, "teacher": 3, "governor": 1}

YNYS_MON = Story(
    theme_means={
        "joint-practice-development": 2.8,
        "talent-development": 2.4,
        "mentoring-coaching": 2.9,
        "staff-information": 2.2,
        "social-capital": 2.7,
        "fit-governance": 2.2,
        "evaluation-challenge": 2.4,
        "system-leadership": 2.2,
        "analytical-investigation": 1.9,
        "creative-entrepreneurship": 1.8,
        "alliance-architecture": 2.0,
        "disciplined-innovation": 1.9,
    },
    role_lift={
        "headteacher": 0.6,
        "senior_leader": 0.45,
        "middle_leader": 0.2,
        "teacher": 0.0,
        "governor": 0.2,
    },
    dont_know={"headteacher": 0.0, "governor": 0.08, "teacher": 0.05},
    evidence={
        ("joint-practice-development", "cy"): (
            "Cofnodion y grŵp datblygu ymarfer ar y cyd, tymor yr haf",
            "Cynlluniau gwaith a rennir gan adrannau Cymraeg y pum ysgol",
        ),
        ("mentoring-coaching", "cy"): (
            "Rhaglen hyfforddi ar gyfer athrawon newydd ar draws y pum ysgol",
        ),
        ("talent-development", "cy"): ("Cynllun arweinwyr canol y rhwydwaith",),
        ("staff-information", "cy"): ("Cyfeiriadur arbenigedd staff ar y wefan a rennir",),
        ("social-capital", "cy"): ("Adroddiad o'r diwrnod hyfforddiant ar y cyd ym mis Medi",),
        ("fit-governance", "cy"): ("Cylch gorchwyl y rhwydwaith, wedi'i gytuno gan y penaethiaid",),
        ("evaluation-challenge", "cy"): ("Adroddiadau adolygu cymheiriaid rhwng yr ysgolion",),
        ("system-leadership", "cy"): (
            "Rota'r penaethiaid ar gyfer arwain cyfarfodydd y rhwydwaith",
        ),
        ("alliance-architecture", "cy"): (
            "Map o'r cysylltiadau rhwng adrannau pwnc yn yr ysgolion",
        ),
        ("disciplined-innovation", "cy"): ("Gwerthusiad o'r cynllun peilot cwricwlwm dwyieithog",),
        ("joint-practice-development", "en"): (
            "Planning shared between the science departments for the new GCSE",
        ),
        ("evaluation-challenge", "en"): ("Notes from the mathematics peer review in March",),
        ("analytical-investigation", "en"): ("Our joint inquiry into Year 9 attendance",),
        ("creative-entrepreneurship", "en"): (
            "Shared bid for a post producing bilingual digital resources",
        ),
    },
    evidence_chance=0.4,
    evidence_roles=frozenset({"headteacher", "senior_leader"}),
)

# --- the multi-academy trust ----------------------------------------------------------------

TRUST_INVITED = {
    "headteacher": 6,
    "senior_leader": 8,
    "middle_leader": 8,
    "teacher": 14,
    "governor": 6,
}
TRUST_SILENT = {"senior_leader": 1, "teacher": 3, "governor": 1}

TRUST = Story(
    theme_means={"depth": 2.2, "tightness": 3.0},
    role_lift={
        "headteacher": 0.4,
        "senior_leader": 0.3,
        "middle_leader": 0.1,
        "teacher": 0.0,
        "governor": 0.2,
    },
    theme_role_lift={("depth", "headteacher"): 0.3, ("tightness", "teacher"): 0.2},
    dont_know={"governor": 0.12, "teacher": 0.04},
    texts={
        "tight-balance": (
            "More time for teachers to visit each other's classrooms. Our shared systems are "
            "strong, but the learning between schools is thin.",
            "Subject networks led by teachers rather than by the central team.",
            "Fewer central requirements on how we report, and more joint work on the "
            "curriculum itself.",
            "One programme for middle leaders across all the trust's schools.",
            "Projects where pupils from different schools work together, so the partnership "
            "reaches them too.",
        )
    },
    write_chance={"tight-balance": 0.5},
)


# --- Trafford: working relationships (collaboration continuum) ------------------------------

# Invited per answering school (the last schools lose one or two to silence, so a few
# schools' own views are too few to show while the pair's pooled level still shows).
TRAFFORD_TIES_PER_SCHOOL = {"headteacher": 1, "senior_leader": 2, "middle_leader": 3}
TRAFFORD_TIES_SILENT = {"senior_leader": 2, "middle_leader": 3}
TRAFFORD_SECONDARIES = 3  # secondaries outside a trust, each with its two nearest primaries

# One side's view of a tie on the continuum's scores (1 networking .. 4 collaboration).
TRAFFORD_VIEWS = {
    "same_trust": 3.7,  # collaboration, some co-operation
    "feeder": 2.3,  # co-ordination: transition days, shared calendars
    "secondaries": 2.0,  # the heads of secondaries meet as a group
    "nearest": 1.4,  # networking with the nearest school outside the survey
    "sees_more": 3.9,  # the secondary: "we collaborate"
    "sees_less": 1.1,  # its primary: "we network"
}

TRAFFORD_TIES = Story(
    theme_means={"relationships": 2.5, "trust": 2.4, "time": 2.0, "turf": 1.8},
    role_lift={"headteacher": 0.3, "senior_leader": 0.2, "middle_leader": 0.0},
    question_lift={"relationship-aim": 0.8},
    dont_know={"middle_leader": 0.06},
    numbers={"continuum-time-hours": {"headteacher": 9, "senior_leader": 6, "middle_leader": 3}},
    noise_sd=0.35,
)
