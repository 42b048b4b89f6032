//! The word lists of the review of changed sentences (see the parent module's doc).
use crate::compare::Category;

/// Word overlap at which two sentences of an edited block are one sentence, edited.
pub(super) const SENTENCE_PAIR: f64 = 0.5;
/// Word overlap at which a deleted and an inserted sentence anywhere are one, moved.
pub(super) const SENTENCE_MOVE: f64 = 0.7;
/// Above this many candidate pairs, sentences are not paired across the document.
pub(super) const MAX_MOVE_PAIRS: usize = 250_000;
/// Words this long or longer that differ in at most `TYPO_DISTANCE` edits are one word.
pub(super) const TYPO_MIN_LEN: usize = 5;
/// See `TYPO_MIN_LEN`.
pub(super) const TYPO_DISTANCE: usize = 1;
/// Evidence quoted per side of a review change, at most.
pub(super) const MAX_EVIDENCE: usize = 3;
/// Openings of a sentence that points to another text, besides those that ask the reader to
/// look for more (`crate::practices::is_pointer`, which the practice reading skips too).
#[rustfmt::skip]
pub(super) const POINTERS: &[&str] = &[
    "for details", "please see", "please visit", "please review", "please refer", "see ",
];

/// Phrases that send the reader elsewhere wherever they stand ("If you live in China, visit
/// our ... page", "To obtain a copy, please contact our Data Protection Officer"): a sentence
/// with one that states no practice points at another text.
#[rustfmt::skip]
pub(super) const INLINE_POINTERS: &[&str] = &[
    "click here", "please contact", "please visit", "please see", "please refer", "visit our",
    "visit the", "refer to our", "see our", "can be found at", "can be found in",
    "is available at", "are available at", "is available on", "are available on",
];

/// Phrases of a policy's administration rather than its practices: whom to contact and how,
/// the controller and its address, the data protection officer, complaints to a regulator,
/// the legal frameworks that cover transfers, and trademark and copyright notices. A changed sentence with one that states no
/// practice is not reviewed, like a pointer: a new contact address, a renamed framework
/// ("Privacy Shield" made "Data Privacy Framework") or a new complaints route changes
/// nothing about what is done with people's data (the redline still shows it).
#[rustfmt::skip]
pub(super) const ADMINISTRATIVE: &[&str] = &[
    "contact us", "contact our", "contact the", "contacting us", "contacted", "reach out",
    "reach us", "email us", "write to us", "write to", "questions or concerns",
    "questions about", "if you have any questions", "if you have questions",
    "data protection officer", "dpo", "controller", "data controller", "representative",
    "complaint", "complaints", "lodge a complaint", "supervisory authority",
    "information commissioner", "data protection authority", "dispute resolution",
    "independent recourse", "binding arbitration", "privacy framework", "privacy shield",
    "dpf", "dpf principles", "standard contractual clauses", "adequacy decision",
    "registered office", "registered address", "postal address", "is located at",
    "registered at", "registered in", "registered with", "represented by", "managing director",
    "managing directors", "commercial register", "company number", "registration number",
    "vat number", "vat id",
    "this form", "web form", "online form", "trademark", "trademarks", "copyright",
];

/// Processors by name: hosting and delivery, error monitoring, payments, email, support,
/// customer-relationship and identity services. A changed sentence that names one is
/// reviewed (a new processor is a new recipient), and each counts [`PROCESSOR_WEIGHT`]
/// towards sharing when its category is guessed, less than a named tracker: "Mailchimp may
/// transfer personal data outside the EU" is about the transfer.
#[rustfmt::skip]
pub(super) const PROCESSORS: &[&str] = &[
    "sentry", "bugsnag", "rollbar", "new relic", "datadog", "cloudflare", "fastly", "akamai",
    "amazon web service", "aws", "heroku", "digitalocean", "google cloud", "azure", "stripe",
    "paypal", "braintree", "adyen", "mailchimp", "sendgrid", "mailgun", "postmark", "mandrill",
    "sparkpost", "intercom", "zendesk", "freshdesk", "freshchat", "help scout", "hubspot",
    "salesforce", "marketo", "twilio", "auth0", "okta", "typeform", "firebase", "onesignal",
    "algolia", "sendinblue", "brevo", "customer io", "zerobounce", "netlify", "vercel",
    // Embedded content served from another company's servers, which receive the visitor's
    // address: avatars, fonts, comments.
    "gravatar", "google font", "disqus",
];

/// See [`PROCESSORS`].
pub(super) const PROCESSOR_WEIGHT: f32 = 2.5;

/// Words that carry no meaning for a practice.
#[rustfmt::skip]
pub(super) const STOP_WORDS: &[&str] = &[
    "a", "an", "the", "of", "to", "and", "or", "in", "on", "for", "with", "by", "as", "at",
    "from", "that", "this", "these", "those", "thi", "these", "is", "are", "be", "been", "being",
    "wa", "were", "it", "its", "we", "u", "our", "ours", "you", "your", "which", "such", "also",
    "about", "into", "through", "their", "they", "them", "there", "here", "so", "some",
    "certain", "other", "any", "each", "more", "both", "either", "who", "whom", "whose", "how",
    "what", "do", "doe", "did", "have", "ha", "had", "can", "may", "might", "will", "would",
    "should", "shall", "must", "could", "please", "e", "g", "i", "etc", "via", "per", "within",
    "between", "over", "under", "up", "out", "than", "including", "include", "includes",
    "example", "instance", "like", "well", "generally", "typically", "usually", "specifically",
    "particular", "particularly", "applicable", "relevant", "appropriate", "reasonable",
    "reasonably", "necessary", "certain",
    // What is left of a contraction split at its apostrophe ("it's", "we'd", "you'll").
    "s", "d", "ll", "re", "ve", "m", "t",
];

/// Phrases that make a statement conditional on the writer's judgement ("when possible",
/// "we try to"): one side with one and the other without is no rewording.
#[rustfmt::skip]
pub(super) const HEDGES: &[&str] = &[
    "when possible", "where possible", "if possible", "whenever possible", "wherever possible",
    "when feasible", "where feasible", "where practicable", "when practicable",
    "extent possible", "extent feasible", "extent practicable", "as far as possible",
    "best effort", "we try", "we strive", "we aim", "we endeavor", "we endeavour", "we attempt",
    "attempt to", "try to", "strive to", "endeavor to", "endeavour to",
];

/// Phrases that make a practice wait for people's say ("with your consent", "at your
/// option"): one side with one and the other without is not the same meaning.
#[rustfmt::skip]
pub(super) const CONSENTS: &[&str] = &[
    "consent", "permission", "approval", "authorization", "authorisation", "opt in", "opt-in",
    "at your option", "at your request",
];

/// Words of contrast: a clause that qualifies a statement ("we don't track individual users
/// but count traffic for analytics").
pub(super) const CONTRASTS: &[&str] = &["but", "however", "although", "whereas"];

/// Words that announce something to people (in the taxonomy's tokens: a plural `s`
/// dropped): only a sentence with one speaks of notice of changes.
#[rustfmt::skip]
pub(super) const ANNOUNCES: &[&str] = &[
    "notify", "notified", "inform", "informed", "notice", "tell", "told", "announce", "alert",
    "email", "e-mail", "post", "posted", "publish", "published", "notification",
];

/// Words that say a text was revised or took effect on a date.
#[rustfmt::skip]
pub(super) const REVISION_WORDS: &[&str] = &[
    "updated", "update", "effective", "revised", "modified", "amended", "dated", "date",
];

/// Words that refer to a part of a document ("Appendix 1", "this section").
#[rustfmt::skip]
pub(super) const REFERENCE_WORDS: &[&str] = &[
    "appendix", "annex", "schedule", "section", "part", "clause", "paragraph", "chapter",
];

/// Phrases that name the legal basis of processing (GDPR article 6 and its words).
#[rustfmt::skip]
pub(super) const LEGAL_BASES: &[&str] = &[
    "legal basis", "legal bases", "lawful basis", "lawful bases", "legal ground", "lawful ground",
    "basis for processing", "bases for processing", "basis of processing",
    "legitimate interest", "legitimate ground", "article 6", "art 6",
];

/// Synonyms folded onto one word before sentences are compared.
#[rustfmt::skip]
pub(super) const SYNONYMS: &[(&str, &str)] = &[
    ("data", "information"), ("info", "information"), ("detail", "information"),
    ("disclose", "share"), ("disclosed", "share"), ("shared", "share"), ("sharing", "share"),
    ("utilize", "use"), ("utilise", "use"), ("used", "use"), ("using", "use"),
    ("gather", "collect"), ("obtain", "collect"), ("collected", "collect"),
    ("collecting", "collect"), ("retain", "keep"), ("store", "keep"), ("stored", "keep"),
    ("kept", "keep"), ("retained", "keep"), ("platform", "service"), ("site", "service"),
    ("website", "service"), ("app", "service"), ("application", "service"),
    ("product", "service"), ("user", "person"), ("member", "person"), ("customer", "person"),
    ("individual", "person"), ("people", "person"), ("company", "person_org"),
    ("organization", "person_org"), ("organisation", "person_org"), ("help", "assist"),
    ("enable", "allow"), ("permit", "allow"), ("let", "allow"), ("ensure", "make_sure"),
    ("make", "make_sure"), ("sure", "make_sure"), ("learn", "see"), ("read", "see"),
    ("visit", "see"), ("section", "see"), ("policy", "notice"), ("statement", "notice"),
    // One negation, however it is said ("no right", "not any right", "never").
    ("no", "not"), ("never", "not"), ("however", "but"), ("although", "but"),
];

/// Month and day names: capitalised, but no party (see `names`).
#[rustfmt::skip]
pub(super) const CALENDAR_WORDS: &[&str] = &[
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday",
];

/// Pronouns and determiners capitalised in titles ("His Majesty's Prison Service", "Your
/// Account"): capitalised, but no party (see `names`).
#[rustfmt::skip]
pub(super) const TITLE_PRONOUNS: &[&str] = &[
    "his", "her", "its", "their", "our", "your", "my", "this", "that", "these", "those", "the",
];

/// Time units: a changed one changes a period.
#[rustfmt::skip]
pub(super) const TIME_WORDS: &[&str] = &[
    "day", "week", "month", "year", "hour", "minute", "indefinitely", "permanently",
];

/// What a changed sentence's words say about its category: each cue (a word or a phrase, in
/// the taxonomy's tokens: lower case, a plural `s` dropped) adds its weight to its category
/// each time it occurs (found by the taxonomy's term matcher: the longest cue wins where cues
/// overlap), and the sentence goes to the best-scored category (see
/// `guess_category`). Strong, specific words weigh 2 (a vendor, an opt-out, a retention
/// period); common verbs that many kinds of sentence share weigh less ("use" 0.5). The lists
/// are general privacy-policy vocabulary (the CCPA and GDPR notice headings, the usual names
/// of recipients, trackers and rights), not phrases of any one policy.
#[rustfmt::skip]
pub(super) const CATEGORY_CUES: &[(Category, &[(&str, f32)])] = &[
    (Category::Audience, &[
        ("child", 2.0), ("children", 2.0), ("minor", 2.0), ("teen", 2.0), ("teenager", 2.0),
        ("kid", 2.0), ("parent", 1.0), ("guardian", 1.0), ("under the age", 2.0),
        ("years of age", 1.0), ("age of", 1.0), ("coppa", 2.0), ("student", 1.0),
        ("young people", 2.0), ("youth", 2.0), ("childcare", 2.0),
    ]),
    (Category::Transfer, &[
        ("merger", 3.0), ("acquisition", 3.0), ("acquirer", 3.0), ("acquired", 2.0),
        ("bankruptcy", 3.0), ("reorganization", 2.0), ("sale of assets", 3.0),
        ("sale of all or", 3.0), ("successor", 2.0), ("change of control", 3.0),
        // An organisation that closes hands its users on, too.
        ("wind down", 3.0), ("winding down", 3.0), ("winding up", 3.0), ("insolvency", 3.0),
        ("liquidation", 3.0), ("dissolution", 2.0), ("cease operation", 3.0),
        ("ceases operation", 3.0), ("go out of business", 3.0),
        // A change of owner: the organisation that holds the data now answers to another.
        ("now part of", 3.0), ("acquired by", 3.0), ("merged with", 3.0),
        ("family of companies", 2.0), ("parent company", 2.0), ("subsidiary of", 2.0),
        ("wholly owned", 2.0), ("is owned by", 2.5), ("is operated by", 1.5),
        ("is provided by", 1.5),
    ]),
    (Category::Sharing, &[
        ("share", 2.5), ("shared", 2.5), ("sharing", 2.5), ("disclose", 2.5),
        ("disclosed", 2.5), ("disclosure", 2.0), ("sell", 3.0), ("sold", 3.0), ("sale", 1.0),
        ("rent", 1.5), ("recipient", 2.0), ("partner", 1.5), ("vendor", 2.0), ("processor", 2.0),
        ("subprocessor", 3.0), ("sub processor", 3.0), ("service provider", 2.0),
        ("provider", 1.0), ("third party", 2.0), ("third partie", 2.0), ("affiliate", 1.5),
        ("contractor", 1.5), ("advertiser", 1.5), ("law enforcement", 2.0),
        ("authoritie", 1.5), ("authority", 1.5), ("government", 1.0), ("court", 1.0),
        ("subpoena", 2.0), ("legal process", 1.5), ("passed to", 1.5), ("pass", 0.5),
        ("sent to", 1.0), ("send", 0.5), ("make available", 1.0), ("supplied to", 1.5), ("provided to", 1.5),
        ("other organization", 1.5), ("hosting", 1.0), ("publicly", 1.5),
        ("public", 1.0), ("publish", 1.5), ("visible to", 1.5), ("show", 0.5),
        // An app or page that talks to someone else's server hands that server your address.
        ("transmit", 1.5), ("transmitted to", 2.0), ("its operator", 2.0),
        ("their operator", 2.0), ("respective operator", 2.0), ("connecting to", 1.0),
        ("connect to", 1.0), ("connects to", 1.0),
    ]),
    (Category::Retention, &[
        ("retain", 2.0), ("retained", 2.0), ("retention", 2.0), ("keep", 1.5), ("kept", 1.5),
        ("store", 1.0), ("stored", 1.0), ("storage", 1.0), ("delete", 1.5), ("deleted", 1.5),
        ("deletion", 1.5), ("erase", 1.5), ("as long as", 2.0), ("for as long", 2.0),
        ("period", 1.0), ("until", 0.5), ("day", 0.5), ("month", 0.5), ("year", 0.5),
        ("archive", 1.0), ("backup", 1.0), ("anonymize", 1.0), ("no longer need", 2.0),
        ("remove", 1.0), ("removed", 1.5), ("purge", 1.5), ("purged", 1.5), ("week", 0.5),
        ("from our servers", 1.5), ("from our systems", 1.5),
    ]),
    (Category::Tracking, &[
        ("cookie", 3.0), ("tracking", 2.5), ("track", 2.0), ("tracker", 2.5), ("pixel", 3.0),
        ("beacon", 3.0), ("web beacon", 3.0), ("analytic", 2.5), ("telemetry", 3.0),
        ("metric", 2.0), ("measurement", 1.5), ("referral", 1.5), ("referrer", 1.5),
        ("attribution", 2.0), ("campaign", 1.0), ("sdk", 2.0), ("tag", 1.0),
        ("local storage", 2.5), ("fingerprinting", 2.5), ("do not track", 3.0),
        ("session replay", 3.0), ("heatmap", 2.5), ("google analytic", 3.0),
        // Analytics, testing, session-recording and advertising services by name.
        ("google tag manager", 3.0), ("optimizely", 3.0), ("hotjar", 3.0),
        ("mixpanel", 3.0), ("amplitude", 3.0), ("heap analytic", 3.0), ("fullstory", 3.0),
        ("logrocket", 3.0), ("matomo", 3.0), ("piwik", 3.0), ("plausible", 3.0),
        ("fathom", 3.0), ("adobe analytic", 3.0), ("quantcast", 3.0), ("doubleclick", 3.0),
        ("facebook pixel", 3.0), ("meta pixel", 3.0), ("criteo", 3.0), ("taboola", 3.0),
        ("outbrain", 3.0), ("appsflyer", 3.0), ("kissmetric", 3.0), ("crazy egg", 3.0),
        ("mouseflow", 3.0), ("microsoft clarity", 3.0), ("chartbeat", 3.0),
        ("comscore", 3.0), ("scarf", 3.0), ("recaptcha", 3.0), ("posthog", 3.0),
        ("telemetrydeck", 3.0), ("pendo", 3.0), ("smartlook", 3.0), ("simple analytic", 3.0),
        ("umami", 3.0), ("goatcounter", 3.0), ("linkedin insight", 3.0),
        ("cloudflare web analytic", 3.0), ("hcaptcha", 3.0),
        // Embedded video players, which set their own cookies.
        ("youtube", 2.5), ("vimeo", 2.5),
        ("advertising id", 2.0), ("interest based", 2.0), ("cross site", 2.0),
        // Email tracking: opens and clicks recorded per subscriber.
        ("whether you open", 2.5), ("link you click", 2.5), ("open and click", 2.5),
        ("opens and click", 2.5), ("email open", 2.5),
    ]),
    (Category::Security, &[
        ("security", 2.0), ("secure", 2.0), ("encrypt", 2.5), ("encrypted", 2.5),
        ("encryption", 2.5), ("safeguard", 2.5), ("breach", 2.5), ("protect", 1.5),
        ("protection", 1.0), ("unauthorized", 2.0), ("access control", 2.0),
        ("confidential", 1.5), ("tls", 1.0), ("ssl", 2.0), ("hashed", 1.5), ("firewall", 2.5),
        ("need to know", 2.0), ("only employee", 2.0), ("limit access", 2.0),
    ]),
    (Category::International, &[
        ("countrie", 2.0), ("country", 2.0), ("abroad", 2.5), ("international", 2.0),
        ("cross border", 3.0), ("outside", 1.0), ("eea", 2.0), ("european economic area", 2.5),
        ("standard contractual clause", 3.0), ("adequacy", 3.0), ("privacy shield", 3.0),
        ("jurisdiction", 1.5), ("transferred to", 1.5), ("transfer", 1.0),
        ("data transfer", 2.0), ("located in", 1.0), ("outside the eu", 3.0),
        ("outside the european union", 3.0), ("outside the eea", 3.0),
        ("outside the uk", 3.0), ("outside the united kingdom", 3.0),
        ("outside your country", 3.0), ("outside of the eu", 3.0), ("outside of the eea", 3.0),
        ("outside of the uk", 3.0), ("outside of the united kingdom", 3.0),
        ("outside of your country", 3.0), ("servers in", 2.0), ("servers located in", 2.5),
        ("data center", 1.5), ("data centre", 1.5),
    ]),
    (Category::ChangeNotice, &[
        ("change to this", 3.0), ("changes to this", 3.0), ("update this", 3.0),
        ("revise", 1.5), ("amend", 1.5), ("modify this", 2.5), ("effective date", 2.5),
        ("last updated", 2.5), ("notify you of", 2.0), ("material change", 3.0),
        ("revised", 1.5), ("updated", 1.0), ("this policy", 0.5), ("this privacy", 0.5),
        ("amendment", 1.5), ("amended", 1.5), ("informed of", 2.0), ("inform you of", 2.0),
    ]),
    (Category::Choices, &[
        ("right", 1.5), ("opt", 2.5), ("opt out", 3.0), ("opt in", 2.5), ("choice", 2.0),
        ("choose", 1.5), ("preference", 2.0), ("setting", 1.5), ("control", 1.5),
        ("consent", 1.5), ("withdraw", 2.0), ("object", 2.0), ("objection", 2.0),
        ("unsubscribe", 3.0), ("permission", 1.5), ("grant", 1.0), ("disable", 2.0),
        ("turn off", 2.0), ("request", 1.0), ("access to your", 1.0), ("correct", 1.5),
        ("rectify", 2.0), ("rectification", 2.0), ("portability", 3.0), ("erasure", 2.0), ("you can", 1.0),
        ("you may", 0.5), ("complaint", 1.5), ("supervisory authority", 1.5),
        ("not required", 1.5), ("never be required", 2.0),
    ]),
    (Category::Purpose, &[
        ("purpose", 2.0), ("use", 0.5), ("used", 0.5), ("process", 0.5), ("processing", 0.5),
        ("in order to", 1.5), ("so that", 1.0), ("to improve", 1.5), ("improve", 1.0),
        ("to provide", 1.0), ("personalize", 2.0), ("personalized", 2.0),
        ("advertising", 1.0), ("marketing", 1.0), ("promotion", 1.5), ("promotional", 1.5),
        ("offer", 1.0), ("newsletter", 1.5), ("fraud", 1.5), ("research", 1.5),
        ("train", 2.0), ("training", 1.5), ("machine learning", 2.0), ("to contact you", 1.5),
        ("email you", 1.5), ("text you", 1.5), ("call you", 1.5), ("to send you", 1.5),
        ("invoice", 1.5), ("billing", 1.0), ("tax", 1.0), ("legitimate interest", 1.5),
        ("legal basis", 1.5), ("spam", 1.0),
        ("automated decision", 2.0), ("profiling", 2.0), ("to detect", 1.5), ("to help", 1.0),
        ("to develop", 1.5), ("to determine", 1.0), ("recommend", 1.5), ("suggest", 1.5),
        ("moderation", 1.5), ("notification", 1.0), ("reminder", 1.5), ("verify", 1.0),
    ]),
    (Category::Collection, &[
        ("collect", 2.0), ("collected", 2.0), ("collection", 1.5), ("receive", 1.0),
        ("obtain", 1.0), ("obtained", 1.5), ("gather", 2.0), ("record", 1.0), ("log", 1.0), ("you provide", 2.0),
        ("you give", 1.5), ("we ask", 1.5), ("submit", 1.5), ("enter", 1.0),
        ("automatically", 1.0), ("camera", 1.5), ("microphone", 1.5), ("contact", 0.5),
        ("location", 1.0), ("device", 0.5), ("ip address", 1.0), ("from other source", 2.0),
        // "Such data include: ...", "This information includes ...": a list of what is
        // collected.
        ("data include", 2.0), ("information include", 2.0), ("data includes", 2.0),
        ("information includes", 2.0),
    ]),
];

/// Phrases saying that a program or page exchanges data with a server (see
/// `review::connects_to`), in lower case.
pub(super) const CONNECTIONS: &[&str] = &[
    " connect to ",
    " connects to ",
    " connecting to ",
    " connection to ",
    "requests to ",
    " request to ",
    " integrates with ",
    " integrate with ",
    " forwards ",
    " forwarded to ",
    " forwarded through ",
    " relays ",
    " relayed ",
    "third party content",
    "third-party content",
];

/// Verbs of taking something from a server, which count with " from " in the same sentence.
pub(super) const FETCHES: &[&str] = &[" fetch", " download", " loads ", " load "];
