#ifndef KITH_DEMO_DATA_H
#define KITH_DEMO_DATA_H

/* Word lists for the demo network: international names (with the accents
 * that make search and identity matching interesting), fictional orgs. */

static const char *const demo_given[] = {
	"Zoë", "Ana", "Léa", "Chloé", "Inès", "Camille", "Manon", "Sofía", "Lucía",
	"María", "Björn", "Søren", "Jürgen", "Łukasz", "Agnieszka", "José", "João",
	"François", "Hélène", "Ömer", "Ayşe", "Noé", "Maël", "Emma", "Olivia", "Amara",
	"Kwame", "Chidi", "Priya", "Arjun", "Mei", "Hiroshi", "Yuki", "Min-jun",
	"Liam", "Noah", "Ethan", "Grace", "Ruth", "Daniel", "Sarah", "David", "Laura",
	"Marco", "Giulia", "Luca", "Francesca", "Pieter", "Anouk", "Sven", "Ingrid",
	"Aoife", "Ciarán", "Tomás", "Nadia", "Karim", "Yasmin", "Omar", "Elena",
	"Mateo", "Valentina", "Diego", "Carmen", "Pablo", "Isabel", "Hugo", "Jules",
	"Nina", "Oskar", "Freya", "Mila", "Ivan", "Katarzyna", "Tereza", "Ondřej",
	"Andrés", "Renée", "Anaïs", "Raphaël",
};

static const char *const demo_family[] = {
	"Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Girard", "Müller",
	"Schmidt", "Schneider", "Fischer", "Weber", "García", "Fernández", "López",
	"Martínez", "Sánchez", "Silva", "Santos", "Ferreira", "Rossi", "Russo",
	"Bianchi", "Romano", "Nowak", "Kowalski", "Wiśniewski", "Novák", "Dvořák",
	"Jansen", "de Vries", "van Dijk", "Andersson", "Johansson", "Nielsen",
	"Hansen", "Öztürk", "Yılmaz", "Kaya", "O'Brien", "Murphy", "Kelly", "Smith",
	"Jones", "Taylor", "Brown", "Wilson", "Okafor", "Mensah", "Adeyemi", "Patel",
	"Sharma", "Gupta", "Chen", "Wang", "Li", "Tanaka", "Sato", "Kim", "Park",
	"Nguyen", "Cohen", "Haddad", "Khalil", "Costa", "Pereira", "Dupont",
	"Lambert", "Fontaine", "Chevalier", "Ångström", "Żeleński", "Kovačević",
};

struct demo_place {
	const char *city, *country;
};

static const struct demo_place demo_places[] = {
	{"Lyon", "France"}, {"Paris", "France"}, {"Berlin", "Germany"},
	{"Munich", "Germany"}, {"London", "United Kingdom"},
	{"Lisbon", "Portugal"}, {"Barcelona", "Spain"}, {"Madrid", "Spain"},
	{"Amsterdam", "Netherlands"}, {"Milan", "Italy"}, {"Zürich", "Switzerland"},
	{"Kraków", "Poland"}, {"Stockholm", "Sweden"}, {"Copenhagen", "Denmark"},
	{"Dublin", "Ireland"}, {"Istanbul", "Türkiye"}, {"Lagos", "Nigeria"},
	{"Bangalore", "India"}, {"Tokyo", "Japan"}, {"Seoul", "South Korea"},
	{"New York", "United States"}, {"Montréal", "Canada"}, {"Prague", "Czechia"},
};

static const char *const demo_org_a[] = {
	"Northwind", "Helios", "Bluefin", "Cedar", "Atlas", "Lumen", "Kestrel",
	"Orchard", "Quarry", "Meridian", "Harbour", "Juniper", "Vega", "Tessera",
	"Granite", "Saffron", "Beacon", "Corvid", "Fjord", "Mistral",
};

static const char *const demo_org_b[] = {
	"Labs", "Energy", "Capital", "Robotics", "Health", "Studio", "Systems",
	"Logistics", "Partners", "Foods", "Analytics", "Bank", "Works", "Ventures",
};

static const char *const demo_titles[] = {
	"Engineer", "Senior Engineer", "CTO", "CEO", "Founder", "Product Manager",
	"Designer", "Sales Director", "Account Executive", "Recruiter",
	"Data Scientist", "Head of Marketing", "Partner", "Analyst", "COO",
	"Researcher", "Lawyer", "Operations Lead", "Investor", "Consultant",
};

static const char *const demo_tags[] = {
	"rust", "python", "design", "sales", "investor", "hiring", "climate",
	"fintech", "ml", "marketing", "legal", "founder", "recruiter", "ux",
	"devops", "healthcare", "music", "climbing", "cycling", "chess",
	"open-source", "security", "mentor", "board",
};

/* Note templates as text before and after a place or topic. */
static const char *const demo_notes[][2] = {
	{"Met at a conference in ", "."},
	{"Interested in ", "; worth a coffee."},
	{"Knows everyone in ", "."},
	{"Wants to hear about ", " projects."},
	{"Helped us close the ", " deal."},
	{"Looking for a new role in ", "."},
};

static const char *const demo_topics[] = {
	"quarterly review", "hiring plans", "the new product", "a partnership",
	"fundraising", "an introduction", "their move", "a conference talk",
	"the pilot project", "pricing", "a job offer", "lunch", "the board meeting",
	"the open-source release", "a customer issue", "their startup idea",
};

#define DEMO_N(a) (sizeof(a) / sizeof((a)[0]))

#endif
